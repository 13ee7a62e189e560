package dev.accrue.app.contact;

import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.core.catalog.CountedCharge;
import dev.accrue.core.catalog.IntervalOption;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.subscription.ChangeQuote;
import dev.accrue.core.subscription.CountedPricing;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bills counted charges (contacts) at renewal, and derives their allowances (emails = 4 × contacts).
 * The count at renewal is the customer's count when the renewal is billed, but never later than the end of the
 * renewal day (in the customer's zone): the scheduler bills a renewal minutes after local midnight, a
 * subscription started today sees the contacts synced before it, and a run that catches up several past
 * periods reads each one's count from the append-only count history as it stood on that renewal day. Each renewal is recorded with its count and the monthly price charged; that price is
 * the floor of the next renewal of the same charge on the same plan (a plan change starts a new floor). A
 * rerun of an already-billed period reuses the recorded renewal, so it prices exactly as the first run did.
 */
public final class CountedBilling {
    private final ContactRepository contacts;
    private final CatalogService catalogs;
    private final CustomerTime time;

    public CountedBilling(ContactRepository contacts, CatalogService catalogs, CustomerTime time) {
        this.contacts = contacts;
        this.catalogs = catalogs;
        this.time = time;
    }

    /** The in-advance lines of the counted charges of {@code plan} for {@code period}; records each renewal. */
    public List<InvoiceLine> linesFor(String tenantId, Subscription sub, Plan plan, Customer customer, Period period, RoundingPolicy rounding) {
        List<InvoiceLine> lines = new ArrayList<>();
        String currency = customer.currency().getCurrencyCode();
        for (var charge : plan.charges()) {
            if (!(charge instanceof CountedCharge k)) {
                continue;
            }
            IntervalOption option = plan.interval(sub.interval()).orElseThrow(() -> new AccrueException(ErrorCode.VALIDATION_FAILED, "interval",
                    "Plan " + plan.code() + " is not sold on a " + sub.interval().wire() + " interval"));
            var recorded = contacts.renewal(tenantId, sub.id(), k.code(), period.start());
            long count = recorded.map(ContactRepository.Renewal::count)
                    .orElseGet(() -> countAt(tenantId, customer, period));
            BigDecimal floor = contacts.lastRenewal(tenantId, sub.id(), k.code(), plan.code(), period.start())
                    .filter(r -> r.currency().equals(currency)).map(ContactRepository.Renewal::monthlyPrice).orElse(null);
            var quote = CountedPricing.quote(k, option, count, currency, floor);
            String unit = catalogs.catalog(tenantId, sub.catalogVersion()).metric(k.metric()).map(Metric::unit).orElse(null);
            lines.add(CountedPricing.line(plan, k, option, quote, unit, period, sub.fullPeriodOf(period), customer.currency(), rounding));
            if (recorded.isEmpty()) {
                contacts.recordRenewal(tenantId, new ContactRepository.Renewal(sub.id(), k.code(), period.start(), plan.code(), count,
                        quote.band().index(), quote.band().monthlyPrice(), quote.monthlyPrice(), currency));
            }
        }
        return lines;
    }

    /**
     * An immediate upgrade inside a paid period also re-prices its counted charges: for each counted charge of
     * {@code to}, the count fixed at this period's renewal is priced in {@code to}'s band, and the difference with
     * the monthly price charged at that renewal is added to the quote, prorated by day. Unless previewing, the
     * period's renewal record then carries the new plan and price, so it is the floor of the next renewal.
     */
    public ChangeQuote withUpgrade(String tenantId, Subscription sub, Plan from, Plan to, Customer customer, LocalDate today,
                                   RoundingPolicy rounding, ChangeQuote quote, boolean preview) {
        if (quote.timing() != ChangeQuote.Timing.IMMEDIATE || sub.billedThrough() == null || !today.isBefore(sub.billedThrough())
                || today.isBefore(sub.anchor())) {
            return quote;
        }
        Period period = sub.periodContaining(today);
        IntervalOption option = to.interval(sub.interval()).orElse(null);
        List<InvoiceLine> lines = new ArrayList<>(quote.lines());
        String currency = customer.currency().getCurrencyCode();
        for (var charge : to.charges()) {
            if (!(charge instanceof CountedCharge k) || option == null) {
                continue;
            }
            var recorded = contacts.renewal(tenantId, sub.id(), k.code(), period.start());
            long count = recorded.map(ContactRepository.Renewal::count).orElseGet(() -> countAt(tenantId, customer, period));
            BigDecimal oldMonthly = recorded.filter(r -> from.charge(k.code()).orElse(null) instanceof CountedCharge && r.currency().equals(currency))
                    .map(ContactRepository.Renewal::monthlyPrice).orElse(BigDecimal.ZERO);
            InvoiceLine line = CountedPricing.upgradeLine(to, k, option, count, oldMonthly, new Period(today, period.end()), sub.fullPeriodOf(period),
                    customer.currency(), rounding);
            if (line == null) {
                continue;
            }
            lines.add(line);
            if (!preview) {
                var band = CountedPricing.band(k, count, currency);
                var renewal = new ContactRepository.Renewal(sub.id(), k.code(), period.start(), to.code(), count, band.index(), band.monthlyPrice(),
                        band.monthlyPrice(), currency);
                if (recorded.isPresent()) {
                    contacts.updateRenewal(tenantId, renewal);
                } else {
                    contacts.recordRenewal(tenantId, renewal);
                }
            }
        }
        return lines.size() == quote.lines().size() ? quote : new ChangeQuote(quote.timing(), quote.effectiveOn(), List.copyOf(lines));
    }

    /**
     * {@code plan} with the derived allowances of its counted charges, sized by the count fixed at the renewal
     * that opened the billing period containing {@code window}'s start (read as a renewal would when the
     * renewal was never billed, e.g. a usage view of a trial).
     */
    public Plan withDerivedAllowances(String tenantId, Subscription sub, Customer customer, Plan plan, Period window) {
        Map<String, Long> counts = new HashMap<>();
        for (var charge : plan.charges()) {
            if (charge instanceof CountedCharge k && !k.derivedAllowances().isEmpty()) {
                Period billing = sub.periodContaining(window.start());
                long count = contacts.renewal(tenantId, sub.id(), k.code(), billing.start()).map(ContactRepository.Renewal::count)
                        .orElseGet(() -> countAt(tenantId, customer, billing));
                counts.put(k.code(), count);
            }
        }
        return counts.isEmpty() ? plan : CountedPricing.withDerivedAllowances(plan, counts);
    }

    private long countAt(String tenantId, Customer customer, Period period) {
        Instant endOfRenewalDay = period.start().plusDays(1).atStartOfDay(customer.timeZone()).toInstant();
        Instant now = time.now(tenantId, customer);
        return contacts.countAt(tenantId, customer.id(), now.isBefore(endOfRenewalDay) ? now : endOfRenewalDay)
                .map(ContactRepository.CountEntry::count).orElse(0L);
    }
}

package dev.accrue.app.billing;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceTotals;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage invoiced on a cadence of its own (pay-as-you-go SMS weekly, cut at month starts): each closed window
 * of each such cadence is invoiced in arrears on its end, with the adjustments of that cadence's earlier
 * windows; a window in which nothing was used issues no invoice but is recorded as billed. A subscription's
 * end cuts its last window, which is then invoiced at once.
 */
public final class OwnCadenceUsage {
    private final UsageInvoicing usage;
    private final BilledUsageRepository billed;
    private final SubscriptionRepository subscriptions;
    private final InvoiceIssuer issuer;
    private final AddOnBilling addOns;

    public OwnCadenceUsage(UsageInvoicing usage, BilledUsageRepository billed, SubscriptionRepository subscriptions, InvoiceIssuer issuer,
                           AddOnBilling addOns) {
        this.usage = usage;
        this.billed = billed;
        this.subscriptions = subscriptions;
        this.issuer = issuer;
        this.addOns = addOns;
    }

    /** Bills the closed windows of every own cadence up to {@code today}; returns the subscription with its progress. */
    public Subscription bill(String tenantId, Subscription sub, Plan plan, Customer customer, LocalDate today, RoundingPolicy rounding,
                             List<Invoice> issued, Instant now) {
        Map<String, MeteredCharge> cadences = cadences(tenantId, sub, plan, today);
        if (cadences.isEmpty() || today.isBefore(sub.anchor())) {
            return sub;
        }
        LocalDate limit = sub.endedOn() != null && sub.endedOn().isBefore(today) ? sub.endedOn() : today;
        LocalDate nextDue = null;
        LocalDate through = sub.usageInvoicedThrough();
        for (var entry : cadences.entrySet()) {
            String cadence = entry.getKey();
            MeteredCharge sample = entry.getValue();
            LocalDate from = start(tenantId, sub, cadence, sample);
            while (from.isBefore(limit)) {
                Period window = ChargeWindows.containing(sub, sample, from);
                if (window.end().isAfter(limit)) {
                    break; // the window is still running
                }
                var bill = usage.window(tenantId, sub, plan, customer, window, cadence, rounding)
                        .plus(usage.adjustments(tenantId, sub, plan, customer, rounding, List.of(cadence), now));
                Invoice invoice = null;
                if (!InvoiceTotals.subtotal(customer.currency(), bill.lines()).isZero()) {
                    invoice = issuer.issue(tenantId, customer, sub.id(), sub.id() + ":usage:" + cadence + ":" + window.start(), window.end(), window,
                            bill.lines(), sample.invoiceCadence() == ResetCadence.WEEK ? UsageWindows.WEEK : null);
                    if (invoice == null) {
                        from = window.end(); // billed by an earlier run that recorded it
                        continue;
                    }
                    issued.add(invoice);
                }
                usage.record(tenantId, sub.id(), bill, invoice == null ? null : invoice.id(), now);
                from = window.end();
            }
            through = through == null || from.isAfter(through) ? from : through;
            boolean running = sub.endedOn() == null || from.isBefore(sub.endedOn());
            if (running) {
                LocalDate due = ChargeWindows.containing(sub, sample, from).end();
                nextDue = nextDue == null || due.isBefore(nextDue) ? due : nextDue;
            }
        }
        subscriptions.setNextUsageDate(tenantId, sub.id(), nextDue);
        return sub.withUsageInvoicedThrough(through);
    }

    /** Where a cadence's next window starts: after its last billed one, else where billing starts. */
    private LocalDate start(String tenantId, Subscription sub, String cadence, MeteredCharge sample) {
        LocalDate through = billed.billedThrough(tenantId, sub.id(), cadence);
        if (through == null && sample.invoiceCadence() == ResetCadence.WEEK && sample.cutAtMonthStart()) {
            through = sub.usageInvoicedThrough(); // weekly progress recorded before billed_usage existed
        }
        return through == null ? sub.anchor() : through;
    }

    /** The own cadences of the plan's charges and of every add-on the subscription has had, each with one of its charges. */
    private Map<String, MeteredCharge> cadences(String tenantId, Subscription sub, Plan plan, LocalDate today) {
        Map<String, MeteredCharge> out = new LinkedHashMap<>();
        LocalDate until = today.isAfter(sub.startDate()) ? today.plusDays(1) : sub.startDate().plusDays(1);
        List<Charge> charges = new ArrayList<>(plan.charges());
        charges.addAll(addOns.charges(tenantId, sub, new Period(sub.startDate(), until)));
        for (Charge c : charges) {
            if (c instanceof MeteredCharge m && m.invoiceCadence() != ResetCadence.BILLING_PERIOD) {
                out.putIfAbsent(UsageInvoicing.cadenceOf(m), m);
            }
        }
        return out;
    }
}

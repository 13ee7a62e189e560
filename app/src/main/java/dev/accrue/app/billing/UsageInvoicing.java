package dev.accrue.app.billing;

import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.phase.PhaseBilling;
import dev.accrue.app.contact.CountedBilling;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.core.addon.AddOnAllowances;
import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.CatalogValidator;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceTotals;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.PeriodMinimums;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The usage stage of billing: what a usage window costs, and what changed in windows already billed.
 * Every usage line a document carries goes through here, and so does its record in {@code billed_usage}
 * ({@link BilledUsageRepository}): a window's bill records, per charge, the amount it billed; a window whose
 * usage later changes (late, corrected or cancelled events mark it dirty) is re-priced in full and the next
 * document of that charge's cadence bills the difference as a labelled adjustment. Re-pricing the whole
 * window (rather than pricing the change alone) keeps allowances, tiers and caps exact however often a window
 * changes, and works for every aggregation.
 */
public final class UsageInvoicing {
    /** Cadence of charges invoiced with the subscription's billing period. */
    public static final String PERIOD = "period";
    /** Cadence of the trial window, billed with the first period. */
    public static final String TRIAL = "trial";

    private final CatalogService catalogs;
    private final UsageRepository usage;
    private final CountedBilling counted;
    private final BilledUsageRepository billed;
    private final AddOnBilling addOns;

    private final PhaseBilling phases;

    public UsageInvoicing(CatalogService catalogs, UsageRepository usage, CountedBilling counted, BilledUsageRepository billed, AddOnBilling addOns,
                          PhaseBilling phases) {
        this.phases = phases;
        this.catalogs = catalogs;
        this.usage = usage;
        this.counted = counted;
        this.billed = billed;
        this.addOns = addOns;
    }

    /** Lines for a document, and what to record once the document exists. */
    public record Bill(List<InvoiceLine> lines, List<BilledUsageRepository.Entry> entries) {
        public static final Bill NONE = new Bill(List.of(), List.of());

        public Bill plus(Bill other) {
            List<InvoiceLine> l = new ArrayList<>(lines);
            l.addAll(other.lines);
            List<BilledUsageRepository.Entry> e = new ArrayList<>(entries);
            e.addAll(other.entries);
            return new Bill(l, e);
        }
    }

    /** The cadence a metered charge is invoiced on: the billing period, or its own (e.g. {@code week_cut}). */
    public static String cadenceOf(MeteredCharge m) {
        if (m.invoiceCadence() == ResetCadence.BILLING_PERIOD) {
            return PERIOD;
        }
        return m.invoiceCadence().name().toLowerCase(Locale.ROOT) + (m.cutAtMonthStart() ? "_cut" : "");
    }

    /** The plan as billed in one window: the subscription's plan, what its add-ons grant there, and their charges. */
    public Plan planFor(String tenantId, Subscription sub, Plan plan, Period window) {
        // a window of an introductory period is settled (its minimum commitment) against the introductory prices billed
        Plan phased = phases.billedDuring(tenantId, sub, plan, window);
        Plan granted = AddOnAllowances.apply(phased, addOns.grants(tenantId, sub, window));
        List<Charge> extra = addOns.charges(tenantId, sub, window);
        if (extra.isEmpty()) {
            return granted;
        }
        List<Charge> all = new ArrayList<>(granted.charges());
        all.addAll(extra);
        return granted.withCharges(all);
    }

    /**
     * The bill of one window for the charges of {@code cadence} ({@link #TRIAL}: every charge) in force there:
     * its lines, and an entry per charge (also when it billed nothing) plus the window's closing marker.
     */
    public Bill window(String tenantId, Subscription sub, Plan plan, Customer customer, Period window, String cadence, RoundingPolicy rounding) {
        Predicate<MeteredCharge> which = cadence.equals(TRIAL) ? m -> true : m -> cadenceOf(m).equals(cadence);
        Plan inForce = planFor(tenantId, sub, plan, window);
        List<InvoiceLine> lines = settled(sub, inForce, customer, window, cadence, rounding, lines(tenantId, sub, inForce, customer, window, rounding, which));
        List<BilledUsageRepository.Entry> entries = new ArrayList<>();
        for (Charge c : inForce.charges()) {
            if (c instanceof MeteredCharge m && which.test(m)) {
                List<InvoiceLine> mine = lines.stream().filter(l -> m.code().equals(l.chargeCode())).toList();
                entries.add(new BilledUsageRepository.Entry(m.code(), m.metric(), cadence, window, "", quantity(mine),
                        InvoiceTotals.subtotal(customer.currency(), mine).amount()));
            }
        }
        if (cadence.equals(PERIOD) && !inForce.minimumCommitment().isEmpty()) {
            List<InvoiceLine> mine = lines.stream().filter(l -> CatalogValidator.MINIMUM_COMMITMENT_CODE.equals(l.chargeCode())).toList();
            entries.add(new BilledUsageRepository.Entry(CatalogValidator.MINIMUM_COMMITMENT_CODE, "", cadence, window, "", BigDecimal.ZERO,
                    InvoiceTotals.subtotal(customer.currency(), mine).amount()));
        }
        entries.add(new BilledUsageRepository.Entry(BilledUsageRepository.WINDOW_CLOSED, "", cadence, window, "", BigDecimal.ZERO, BigDecimal.ZERO));
        return new Bill(lines, entries);
    }

    /**
     * A closed billing-period window's usage lines with their true-ups (spending minimums, the plan's commitment); the
     * windows of other cadences and the trial settle no minimum.
     */
    private static List<InvoiceLine> settled(Subscription sub, Plan inForce, Customer customer, Period window, String cadence, RoundingPolicy rounding,
                                             List<InvoiceLine> usageLines) {
        if (!cadence.equals(PERIOD)) {
            return usageLines;
        }
        List<InvoiceLine> all = new ArrayList<>(usageLines);
        all.addAll(PeriodMinimums.trueUps(sub, inForce, customer.currency(), window, usageLines, rounding));
        return all;
    }

    /**
     * Adjustments for the billed windows of {@code cadences} (none given: all) whose usage changed since, or that
     * are due their re-check: each such window is priced again on what is stored now, and the difference from what
     * its documents billed is one labelled line.
     */
    public Bill adjustments(String tenantId, Subscription sub, Plan plan, Customer customer, RoundingPolicy rounding, Collection<String> cadences,
                            Instant now) {
        List<BilledUsageRepository.DirtyWindow> dirty = withCommitments(tenantId, sub, billed.claimDirty(tenantId, sub.id(), cadences, now));
        if (dirty.isEmpty()) {
            return Bill.NONE;
        }
        List<InvoiceLine> lines = new ArrayList<>();
        List<BilledUsageRepository.Entry> entries = new ArrayList<>();
        Map<String, List<InvoiceLine>> repriced = new HashMap<>();
        for (var w : dirty) {
            List<InvoiceLine> current = repriced.computeIfAbsent(w.cadence() + ":" + w.window(), k -> {
                Plan inForce = planFor(tenantId, sub, plan, w.window());
                return settled(sub, inForce, customer, w.window(), w.cadence(), rounding,
                        lines(tenantId, sub, inForce, customer, w.window(), rounding, m -> true));
            });
            List<InvoiceLine> mine = current.stream().filter(l -> w.chargeCode().equals(l.chargeCode())).toList();
            Money amountNow = InvoiceTotals.subtotal(customer.currency(), mine);
            Money delta = amountNow.minus(Money.of(w.billedAmount(), customer.currency().getCurrencyCode()));
            BigDecimal quantityDelta = quantity(mine).subtract(w.billedQuantity());
            if (delta.isZero() && quantityDelta.signum() == 0) {
                continue;
            }
            String charge = mine.isEmpty() ? w.chargeCode() : describe(mine.getFirst());
            lines.add(new InvoiceLine(InvoiceLine.ADJUSTMENT, w.chargeCode(), "Adjustment: " + charge + " for " + w.window().start() + " to "
                    + w.window().end().minusDays(1) + ": usage " + signed(quantityDelta) + " (events late, corrected or cancelled after it was invoiced)",
                    w.window(), quantityDelta, Money.of(BigDecimal.ZERO, customer.currency().getCurrencyCode()), delta));
            entries.add(new BilledUsageRepository.Entry(w.chargeCode(), w.metric(), w.cadence(), w.window(), "", quantityDelta, delta.amount()));
        }
        return new Bill(lines, entries);
    }

    /**
     * A billing period's commitment depends on every charge of the period, so a period re-priced for one charge is
     * settled again for its commitment too, against what its documents billed for it (windows billed with no
     * commitment record have none to settle).
     */
    private List<BilledUsageRepository.DirtyWindow> withCommitments(String tenantId, Subscription sub, List<BilledUsageRepository.DirtyWindow> dirty) {
        List<BilledUsageRepository.DirtyWindow> all = new ArrayList<>(dirty);
        Set<Period> settled = new HashSet<>();
        dirty.stream().filter(w -> CatalogValidator.MINIMUM_COMMITMENT_CODE.equals(w.chargeCode())).forEach(w -> settled.add(w.window()));
        for (var w : dirty) {
            if (PERIOD.equals(w.cadence()) && settled.add(w.window())) {
                billed.billedAmount(tenantId, sub.id(), CatalogValidator.MINIMUM_COMMITMENT_CODE, PERIOD, w.window().start()).ifPresent(amount ->
                        all.add(new BilledUsageRepository.DirtyWindow(CatalogValidator.MINIMUM_COMMITMENT_CODE, "", PERIOD, w.window(),
                                BigDecimal.ZERO, amount)));
            }
        }
        return all;
    }

    /** Records what a document billed ({@code documentId} null or '' when nothing was issued). */
    public void record(String tenantId, String subscriptionId, Bill bill, String documentId, Instant at) {
        String id = documentId == null ? "" : documentId;
        billed.record(tenantId, subscriptionId, bill.entries().stream()
                .map(e -> new BilledUsageRepository.Entry(e.chargeCode(), e.metric(), e.cadence(), e.window(), id, e.quantity(), e.amount())).toList(), at);
    }

    /** The metered lines of a window (closed, or running: priced on what arrived so far), read from the daily aggregates. */
    public List<InvoiceLine> lines(String tenantId, Subscription sub, Plan inForce, Customer customer, Period window, RoundingPolicy rounding,
                                   Predicate<MeteredCharge> which) {
        return linesUntil(tenantId, sub, inForce, customer, window, rounding, which, window.end());
    }

    /**
     * {@link #lines} priced on the usage dated before {@code until} only (the window's allowances and prices unchanged):
     * what the window's usage had cost by that day. A calendar-month budget takes the difference of two such prices
     * (see {@code CostAllocation}), so the months of one billing period add up to its charges exactly.
     */
    public List<InvoiceLine> linesUntil(String tenantId, Subscription sub, Plan inForce, Customer customer, Period window, RoundingPolicy rounding,
                                        Predicate<MeteredCharge> which, LocalDate until) {
        LocalDate cut = until.isBefore(window.end()) ? (until.isBefore(window.start()) ? window.start() : until) : window.end();
        Plan plan = counted.withDerivedAllowances(tenantId, sub, customer, inForce, window);
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        Map<String, List<UsageBilling.DayUsage>> byMetric = new HashMap<>();
        for (var charge : plan.charges()) {
            if (charge instanceof MeteredCharge m && which.test(m) && !byMetric.containsKey(m.metric())) {
                // a fee bounded per transaction prices each event's amount: the window's rows are then groups of equal amounts
                boolean perTransaction = plan.charges().stream().anyMatch(c -> c instanceof MeteredCharge x && which.test(x)
                        && x.metric().equals(m.metric()) && x.pricing() != null && x.pricing().boundsEachTransaction());
                byMetric.put(m.metric(), perTransaction
                        ? usage.transactions(tenantId, sub.id(), m.metric(), window.start(), cut).stream()
                                .map(d -> new UsageBilling.DayUsage(d.day(), d.dimensionKey(), d.quantity(), d.events())).toList()
                        : dayUsage(tenantId, sub, customer, catalog, m, window, cut));
            }
        }
        return UsageBilling.linesFor(plan, catalog, sub.overrides(), window, byMetric, customer.currency(), rounding, which);
    }

    private List<UsageBilling.DayUsage> dayUsage(String tenantId, Subscription sub, Customer customer, Catalog catalog, MeteredCharge m, Period window,
                                                 LocalDate cut) {
        Aggregation aggregation = catalog.metric(m.metric()).orElseThrow().aggregation();
        if (aggregation == Aggregation.TIME_WEIGHTED_SUM) {
            // one value for the whole window: the gauge's time-weighted average (GB stored over the period)
            BigDecimal average = usage.timeWeightedAverage(tenantId, sub.id(), m.metric(), window.startInstant(customer.timeZone()),
                    cut.atStartOfDay(customer.timeZone()).toInstant());
            return List.of(new UsageBilling.DayUsage(window.start(), "", average, 1));
        }
        if (aggregation == Aggregation.PERSISTENT) {
            // units carried across periods: per allowance window, the units held weighted by the time each was held
            List<UsageBilling.DayUsage> held = new ArrayList<>();
            for (Period w : UsageBilling.windows(m.allowances(), window)) {
                if (w.start().isBefore(cut)) {
                    LocalDate end = w.end().isBefore(cut) ? w.end() : cut;
                    held.add(new UsageBilling.DayUsage(w.start(), "", usage.unitsHeld(tenantId, sub.id(), m.metric(),
                            w.startInstant(customer.timeZone()), end.atStartOfDay(customer.timeZone()).toInstant()), 1));
                }
            }
            return held;
        }
        if (aggregation == Aggregation.SUM || aggregation == Aggregation.COUNT || aggregation == Aggregation.MAX) {
            // pricing folds such a metric per allowance window and dimension (sums, or the largest value), never per day:
            // one row per window and dimension, dated at the window's start, prices the same as its days
            List<Period> windows = new ArrayList<>();
            for (Period w : UsageBilling.windows(m.allowances(), window)) {
                if (w.start().isBefore(cut)) {
                    windows.add(new Period(w.start(), w.end().isBefore(cut) ? w.end() : cut));
                }
            }
            List<List<UsageRepository.DailyUsage>> totals = usage.sums(tenantId, sub.id(), m.metric(), windows);
            List<UsageBilling.DayUsage> out = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                LocalDate start = windows.get(i).start();
                for (UsageRepository.DailyUsage d : totals.get(i)) {
                    out.add(new UsageBilling.DayUsage(start, d.dimensionKey(), aggregation == Aggregation.MAX ? d.maxQuantity() : d.quantity(), d.events()));
                }
            }
            return out;
        }
        List<UsageRepository.DailyUsage> rows;
        if (aggregation == Aggregation.UNIQUE_COUNT) {
            // a distinct count per allowance window: a value seen in two windows counts in each (monthly active callers on a yearly plan)
            rows = new ArrayList<>();
            for (Period w : UsageBilling.windows(m.allowances(), window)) {
                if (w.start().isBefore(cut)) {
                    rows.addAll(usage.firstSeen(tenantId, sub.id(), m.metric(), w.start(), w.end().isBefore(cut) ? w.end() : cut));
                }
            }
        } else {
            rows = usage.daily(tenantId, sub.id(), m.metric(), window.start(), cut);
        }
        return rows.stream().map(d -> new UsageBilling.DayUsage(d.day(), d.dimensionKey(), switch (aggregation) {
            case MAX -> d.maxQuantity();
            case LATEST -> d.latestQuantity();
            default -> d.quantity();
        }, d.events())).toList();
    }

    /** Units of usage billed; a true-up's quantity is a share of the period, not usage. */
    private static BigDecimal quantity(List<InvoiceLine> lines) {
        return lines.stream().filter(l -> !InvoiceLine.TRUE_UP.equals(l.kind())).map(InvoiceLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String describe(InvoiceLine line) {
        int colon = line.description().indexOf(':');
        int paren = line.description().indexOf(" (");
        int cut = paren > 0 && (colon < 0 || paren < colon) ? paren : colon;
        return cut > 0 ? line.description().substring(0, cut) : line.chargeCode();
    }

    private static String signed(BigDecimal q) {
        return (q.signum() > 0 ? "+" : "") + q.stripTrailingZeros().toPlainString();
    }
}

package dev.accrue.app.budget;

import dev.accrue.app.billing.BillingService;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.core.budget.DimensionSplit;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.RateTable;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.rating.UsagePricer;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Splits a period's charges by the values of one usage dimension (team, project, AI employee: a {@code group_by}
 * property of the metrics), so the parts add up to the total exactly.
 *
 * <p>The charges are priced by the billing run's own code — the recurring lines of the period
 * ({@link RecurringBilling}) and the usage lines on what arrived so far ({@link BillingService#usageLines}) — and
 * never re-derived here. Each metered charge's amount is then shared out by largest remainder ({@link DimensionSplit})
 * over the dimension's values, weighted by their usage (for a rate-table charge, by what each value's usage costs
 * at its own rate, so a team calling abroad carries its dearer minutes). Fixed charges belong to no dimension
 * value: they are the {@link #SHARED} part; usage that lacks the property is the {@link #UNASSIGNED} part.
 */
public final class CostAllocation {
    public static final String SHARED = "shared";
    public static final String UNASSIGNED = "unassigned";
    private final BillingService billing;
    private final UsageRepository usage;
    private final CatalogService catalogs;

    public CostAllocation(BillingService billing, UsageRepository usage, CatalogService catalogs) {
        this.billing = billing;
        this.usage = usage;
        this.catalogs = catalogs;
    }

    /** One value's share of the period's charges. */
    public record Part(String value, Money amount) {
    }

    /** The period's charges ({@code total}) and their split by {@code dimension} (empty parts when none asked). */
    public record Report(String subscriptionId, Period period, String dimension, Money total, List<Part> parts) {
        public Money part(String value) {
            return parts.stream().filter(p -> p.value().equals(value)).map(Part::amount).findFirst().orElse(Money.zero(total.currency()));
        }
    }

    public Report allocate(String tenantId, Subscription sub, Customer customer, Period period, String dimension) {
        RoundingPolicy rounding = billing.rounding(tenantId);
        Money zero = Money.zero(customer.currency());
        Money shared = zero;
        if (!period.start().isBefore(sub.anchor())) {
            Plan plan = billing.plan(tenantId, sub);
            for (InvoiceLine line : RecurringBilling.linesFor(sub, plan, customer.currency(), period, rounding)) {
                shared = shared.plus(line.amount());
            }
            for (InvoiceLine line : RecurringBilling.arrearsLinesFor(sub, plan, customer.currency(), period, rounding)) {
                shared = shared.plus(line.amount());
            }
        }
        Plan inForce = billing.planFor(tenantId, sub, period);
        Set<ResetCadence> cadences = new LinkedHashSet<>();
        inForce.charges().forEach(c -> {
            if (c instanceof MeteredCharge m) {
                cadences.add(m.invoiceCadence());
            }
        });
        Map<String, Money> byCharge = new LinkedHashMap<>();
        for (ResetCadence cadence : cadences) {
            for (InvoiceLine line : billing.usageLines(tenantId, sub, period, customer, rounding, cadence)) {
                byCharge.merge(line.chargeCode(), line.amount(), Money::plus);
            }
        }
        Money total = byCharge.values().stream().reduce(shared, Money::plus);
        if (dimension == null) {
            return new Report(sub.id(), period, null, total, List.of());
        }
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        Map<String, Money> parts = new TreeMap<>();
        byCharge.forEach((code, amount) -> {
            MeteredCharge m = (MeteredCharge) inForce.charge(code).orElseThrow();
            split(tenantId, sub, catalog, m, period, dimension, amount, customer.currency().getCurrencyCode())
                    .forEach((value, part) -> parts.merge(value, part, Money::plus));
        });
        return new Report(sub.id(), period, dimension, total, parts(parts, shared, zero));
    }

    /**
     * The charges of one calendar month ({@code month}: its first day to the next month's, in the customer's time zone)
     * and their split by {@code dimension}. A billing period's fixed charges belong to the month it starts in (they are
     * invoiced then); its usage charges to the months its usage is dated in, each month taking what the period's usage
     * had cost by the month's end less what it had cost by its start ({@link BillingService#usageLinesUntil}, the
     * period's allowances and tiers unchanged) — so usage inside the allowance costs its month nothing, the overage lands
     * in the month it happened, and the months of one billing period add up to its charges exactly. Each month's part of
     * a charge is then shared out over the dimension's values by their usage in that month, by largest remainder: the
     * parts add up to the month's total exactly. A billing period starting after {@code today} is not charged yet: the
     * current month counts the fees of the periods begun so far.
     */
    public Report allocateMonth(String tenantId, Subscription sub, Customer customer, Period month, LocalDate today, String dimension) {
        RoundingPolicy rounding = billing.rounding(tenantId);
        Money zero = Money.zero(customer.currency());
        Money shared = zero;
        Money total = zero;
        Map<String, Money> parts = new TreeMap<>();
        Catalog catalog = dimension == null ? null : catalogs.catalog(tenantId, sub.catalogVersion());
        LocalDate from = later(month.start(), sub.startDate());
        LocalDate to = sub.endedOn() == null ? month.end() : earlier(month.end(), sub.endedOn());
        for (LocalDate day = from; day.isBefore(to) && !day.isAfter(today); ) {
            Period period = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, day);
            if (month.contains(period.start()) && !period.start().isBefore(sub.anchor())) {
                Plan plan = billing.plan(tenantId, sub);
                for (InvoiceLine line : RecurringBilling.linesFor(sub, plan, customer.currency(), period, rounding)) {
                    shared = shared.plus(line.amount());
                }
                for (InvoiceLine line : RecurringBilling.arrearsLinesFor(sub, plan, customer.currency(), period, rounding)) {
                    shared = shared.plus(line.amount());
                }
            }
            LocalDate lower = later(month.start(), period.start());
            LocalDate upper = earlier(month.end(), period.end());
            Plan inForce = billing.planFor(tenantId, sub, period);
            Set<ResetCadence> cadences = new LinkedHashSet<>();
            inForce.charges().forEach(c -> {
                if (c instanceof MeteredCharge m) {
                    cadences.add(m.invoiceCadence());
                }
            });
            Map<String, Money> byCharge = new LinkedHashMap<>();
            for (ResetCadence cadence : cadences) {
                for (InvoiceLine line : billing.usageLinesUntil(tenantId, sub, period, customer, rounding, cadence, upper)) {
                    byCharge.merge(line.chargeCode(), line.amount(), Money::plus);
                }
                if (lower.isAfter(period.start())) {
                    // what the period's usage had cost before the month began belongs to the months before
                    for (InvoiceLine line : billing.usageLinesUntil(tenantId, sub, period, customer, rounding, cadence, lower)) {
                        byCharge.merge(line.chargeCode(), line.amount().negate(), Money::plus);
                    }
                }
            }
            for (var charge : byCharge.entrySet()) {
                total = total.plus(charge.getValue());
                if (dimension != null) {
                    MeteredCharge m = (MeteredCharge) inForce.charge(charge.getKey()).orElseThrow();
                    split(tenantId, sub, catalog, m, new Period(lower, upper), dimension, charge.getValue(), customer.currency().getCurrencyCode())
                            .forEach((value, part) -> parts.merge(value, part, Money::plus));
                }
            }
            day = period.end();
        }
        total = total.plus(shared);
        return dimension == null ? new Report(sub.id(), month, null, total, List.of()) : new Report(sub.id(), month, dimension, total, parts(parts, shared, zero));
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate earlier(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    /** The dimension's values in order, then the unassigned and shared parts. */
    private static List<Part> parts(Map<String, Money> parts, Money shared, Money zero) {
        List<Part> out = new ArrayList<>();
        parts.forEach((value, amount) -> {
            if (!value.equals(UNASSIGNED)) {
                out.add(new Part(value, amount));
            }
        });
        out.add(new Part(UNASSIGNED, parts.getOrDefault(UNASSIGNED, zero)));
        out.add(new Part(SHARED, shared));
        return out;
    }

    /** One charge's amount shared out over the dimension's values, by largest remainder. */
    private Map<String, Money> split(String tenantId, Subscription sub, Catalog catalog, MeteredCharge m, Period period, String dimension,
                                     Money amount, String currency) {
        RateTable table = m.rateTable() == null ? null : sub.overrides().applyTo(catalog.rateTable(m.rateTable()).orElseThrow());
        Map<String, BigDecimal> weights = new TreeMap<>();
        for (var row : usage.totals(tenantId, sub.id(), m.metric(), period.start(), period.end())) {
            Map<String, String> dims = UsageBilling.dimensions(row.dimensionKey());
            String value = dims.get(dimension);
            BigDecimal weight = row.quantity();
            if (table != null) {
                BigDecimal quantity = table.perEvent(dims, currency) ? BigDecimal.valueOf(row.events()) : row.quantity();
                weight = UsagePricer.rate(table, dims, currency, quantity).map(Money::amount).orElse(BigDecimal.ZERO);
            }
            weights.merge(value == null || value.isEmpty() ? UNASSIGNED : value, weight, BigDecimal::add);
        }
        return DimensionSplit.split(amount, weights, UNASSIGNED);
    }
}

package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.Allowance;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.catalog.PriceModel;
import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.catalog.RateTable;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.rating.RatedUsage;
import dev.accrue.core.rating.TransactionPricer;
import dev.accrue.core.rating.UsagePricer;
import dev.accrue.core.rating.UsageRating;
import dev.accrue.core.time.BillingTiming;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The in-arrears usage lines of a closed billing period. Allowances are consumed first, window by window on
 * their own reset cadence (monthly minutes on a yearly plan); the overage of all windows is then priced once
 * by the charge's model and rounded once per line — never per call. Rate-table charges get one line per
 * dimension combination (SMS to FR, to US …), each quantity × its rate, rounded once.
 */
public final class UsageBilling {
    private UsageBilling() {
    }

    /**
     * One day's value of a metric for one dimension combination (already folded by the metric's aggregation),
     * and how many events made it (what a rate priced per event counts).
     */
    public record DayUsage(LocalDate day, String dimensionKey, BigDecimal value, long events) {
    }

    public static List<InvoiceLine> linesFor(Plan plan, Catalog catalog, PlanOverrides overrides, Period period,
                                             Map<String, List<DayUsage>> usageByMetric, Currency currency, RoundingPolicy rounding) {
        return linesFor(plan, catalog, overrides, period, usageByMetric, currency, rounding, ResetCadence.BILLING_PERIOD);
    }

    /** The usage lines of the charges invoiced on {@code cadence} (BILLING_PERIOD, or their own, e.g. WEEK). */
    public static List<InvoiceLine> linesFor(Plan plan, Catalog catalog, PlanOverrides overrides, Period period,
                                             Map<String, List<DayUsage>> usageByMetric, Currency currency, RoundingPolicy rounding,
                                             ResetCadence cadence) {
        return linesFor(plan, catalog, overrides, period, usageByMetric, currency, rounding, m -> m.invoiceCadence() == cadence);
    }

    /** The usage lines of the metered charges {@code which} selects. */
    public static List<InvoiceLine> linesFor(Plan plan, Catalog catalog, PlanOverrides overrides, Period period,
                                             Map<String, List<DayUsage>> usageByMetric, Currency currency, RoundingPolicy rounding,
                                             Predicate<MeteredCharge> which) {
        List<InvoiceLine> lines = new ArrayList<>();
        String code = currency.getCurrencyCode();
        for (var charge : plan.charges()) {
            if (!(charge instanceof MeteredCharge m) || m.timing() != BillingTiming.IN_ARREARS || !which.test(m)) {
                continue;
            }
            Metric metric = catalog.metric(m.metric()).orElseThrow();
            List<DayUsage> rows = usageByMetric.getOrDefault(m.metric(), List.of());
            if (m.rateTable() != null) {
                lines.addAll(rateTableLines(m, overrides.applyTo(catalog.rateTable(m.rateTable()).orElseThrow()), metric, rows, period, code, rounding));
            } else if (m.pricing() != null && m.pricing().model().pricesTransactions()) {
                lines.add(transactionLine(m, metric, rows, period, code, rounding));
            } else if (m.pricing() != null) {
                lines.add(pricedLine(m, metric, rows, period, code, rounding));
            }
        }
        return lines;
    }

    private static InvoiceLine pricedLine(MeteredCharge m, Metric metric, List<DayUsage> rows, Period period, String currency, RoundingPolicy rounding) {
        BigDecimal used = fold(metric.aggregation(), rows);
        BigDecimal overage = BigDecimal.ZERO;
        BigDecimal included = BigDecimal.ZERO;
        for (Period window : windows(m.allowances(), period)) {
            BigDecimal windowIncluded = m.allowances().stream().map(Allowance::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            List<DayUsage> inWindow = rows.stream().filter(r -> window.contains(r.day())).toList();
            overage = overage.add(fold(metric.aggregation(), inWindow).subtract(windowIncluded).max(BigDecimal.ZERO));
            included = included.add(windowIncluded);
        }
        RatedUsage rated = UsageRating.rate(overage, BigDecimal.ZERO, m.pricing(), m.overage(), currency, rounding);
        String unit = metric.unit() == null ? "" : " " + metric.unit();
        String description = (m.name() == null ? m.code() : m.name()) + ": " + plain(used) + unit + " used, " + plain(included) + unit
                + " included, " + plain(overage) + unit + " overage" + outcome(rated);
        BigDecimal unitPrice = m.pricing().model() == PriceModel.PER_UNIT
                ? m.pricing().unitPrice().getOrDefault(currency, BigDecimal.ZERO).divide(m.pricing().perUnits(), MathContext.DECIMAL64)
                : perUnit(rated.amount().amount(), rated.billableQuantity());
        return new InvoiceLine(InvoiceLine.USAGE, m.code(), description, period, rated.billableQuantity(),
                Money.of(unitPrice, currency), rated.amount());
    }

    /**
     * A charge priced by transactions: the amount its events carried (the metric's sum) and how many there were, priced
     * once by {@link TransactionPricer} and rounded once. The line's quantity is the number of transactions.
     */
    private static InvoiceLine transactionLine(MeteredCharge m, Metric metric, List<DayUsage> rows, Period period, String currency,
                                               RoundingPolicy rounding) {
        BigDecimal processed = fold(metric.aggregation(), rows);
        long transactions = rows.stream().mapToLong(DayUsage::events).sum();
        Pricing p = m.pricing();
        Money amount = rounding.apply(p.boundsEachTransaction() ? boundedFees(p, currency, rows)
                : TransactionPricer.price(p, currency, processed, transactions));
        String terms = switch (p.model()) {
            case PERCENTAGE -> plain(p.rate()) + "%" + (p.fixedFee().containsKey(currency) ? " + " + plain(p.fixedFee().get(currency)) + " per transaction" : "")
                    + (p.freeAmount() != null && p.freeAmount().signum() > 0 ? ", first " + plain(p.freeAmount()) + " free" : "")
                    + (p.freeTransactions() != null && p.freeTransactions() > 0 ? ", first " + p.freeTransactions() + " transactions free" : "")
                    + (p.perTransactionMin().containsKey(currency) ? ", at least " + plain(p.perTransactionMin().get(currency)) + " per transaction" : "")
                    + (p.perTransactionMax().containsKey(currency) ? ", at most " + plain(p.perTransactionMax().get(currency)) + " per transaction" : "");
            case GRADUATED_PERCENTAGE -> "graduated rates";
            default -> "priced per event";
        };
        BigDecimal count = BigDecimal.valueOf(transactions);
        String description = (m.name() == null ? m.code() : m.name()) + ": " + transactions + (transactions == 1 ? " transaction, " : " transactions, ")
                + plain(processed) + " " + currency + " processed (" + terms + ")";
        return new InvoiceLine(InvoiceLine.USAGE, m.code(), description, period, count, Money.of(perUnit(amount.amount(), count), currency), amount);
    }

    /**
     * Fees bounded per transaction, summed event by event: for such a charge each row is a group of events that carried
     * the same amount ({@code value} = amount × events, kept per day at ingestion), so the group's fee is
     * events × clamp(rate% × amount + fixed fee, min, max). Exact; the line rounds the sum once.
     */
    private static Money boundedFees(Pricing p, String currency, List<DayUsage> rows) {
        Money total = Money.zero(currency);
        for (DayUsage row : rows) {
            if (row.events() > 0) {
                BigDecimal each = row.value().divide(BigDecimal.valueOf(row.events()), MathContext.DECIMAL128);
                total = total.plus(TransactionPricer.boundedFees(p, currency, each, row.events()));
            }
        }
        return total;
    }

    private static List<InvoiceLine> rateTableLines(MeteredCharge m, RateTable table, Metric metric, List<DayUsage> rows, Period period,
                                                    String currency, RoundingPolicy rounding) {
        Map<String, List<DayUsage>> byDimension = new TreeMap<>();
        rows.forEach(r -> byDimension.computeIfAbsent(r.dimensionKey(), k -> new ArrayList<>()).add(r));
        List<InvoiceLine> lines = new ArrayList<>();
        byDimension.forEach((key, group) -> {
            Map<String, String> dims = dimensions(key);
            boolean perEvent = table.perEvent(dims, currency);
            // a row priced per event (inbound texts) counts messages, whatever their segments
            BigDecimal quantity = perEvent ? BigDecimal.valueOf(group.stream().mapToLong(DayUsage::events).sum())
                    : fold(metric.aggregation(), group).max(BigDecimal.ZERO); // negative adjustments never bill below zero
            var rate = table.rate(dims, currency);
            Money amount = rate.isEmpty() ? Money.zero(currency)
                    : rounding.apply(UsagePricer.rate(table, dims, currency, quantity).orElseThrow());
            String unit = perEvent ? (quantity.compareTo(BigDecimal.ONE) == 0 ? " event" : " events") : metric.unit() == null ? "" : " " + metric.unit();
            String description = (m.name() == null ? m.code() : m.name()) + " (" + key.replace("|", ", ") + "): " + plain(quantity) + unit
                    + (rate.isEmpty() ? " — no rate in " + table.code() + ", not charged" : "");
            BigDecimal unitPrice = rate.map(r -> r.divide(table.perUnits(), MathContext.DECIMAL64)).orElse(BigDecimal.ZERO);
            lines.add(new InvoiceLine(InvoiceLine.USAGE, m.code(), description, period, quantity, Money.of(unitPrice, currency), amount));
        });
        return lines;
    }

    /**
     * The allowance windows inside a period: one window for BILLING_PERIOD (or no allowance); otherwise windows
     * of the reset cadence counted from the period start, the last one clipped at the period end.
     */
    public static List<Period> windows(List<Allowance> allowances, Period period) {
        ResetCadence reset = allowances.isEmpty() ? ResetCadence.BILLING_PERIOD : allowances.getFirst().reset();
        if (reset == ResetCadence.BILLING_PERIOD) {
            return List.of(period);
        }
        List<Period> out = new ArrayList<>();
        for (int n = 0; ; n++) {
            LocalDate start = step(period.start(), reset, n);
            if (!start.isBefore(period.end())) {
                return out;
            }
            LocalDate end = step(period.start(), reset, n + 1);
            out.add(new Period(start, end.isAfter(period.end()) ? period.end() : end));
        }
    }

    private static LocalDate step(LocalDate origin, ResetCadence reset, int n) {
        return switch (reset) {
            case WEEK -> origin.plusDays(7L * n);
            case MONTH -> origin.plusMonths(n);
            case YEAR -> origin.plusYears(n);
            case BILLING_PERIOD -> throw new IllegalArgumentException("not a fixed cadence");
        };
    }

    /** A window's value: sums for SUM/COUNT (and anything additive), the largest day for MAX, the last day for LATEST. */
    public static BigDecimal fold(Aggregation aggregation, List<DayUsage> rows) {
        return switch (aggregation) {
            case MAX -> rows.stream().map(DayUsage::value).max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
            case LATEST -> {
                Map<String, DayUsage> lastPerDimension = new LinkedHashMap<>();
                rows.stream().sorted(Comparator.comparing(DayUsage::day)).forEach(r -> lastPerDimension.put(r.dimensionKey(), r));
                yield lastPerDimension.values().stream().map(DayUsage::value).reduce(BigDecimal.ZERO, BigDecimal::add);
            }
            default -> rows.stream().map(DayUsage::value).reduce(BigDecimal.ZERO, BigDecimal::add);
        };
    }

    /** The dimensions of a canonical key ({@code country=FR|direction=outbound}, see EventRules.dimensionKey). */
    public static Map<String, String> dimensions(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        if (key == null || key.isEmpty()) {
            return out;
        }
        for (String pair : key.split("\\|")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    private static String outcome(RatedUsage rated) {
        return switch (rated.outcome()) {
            case BLOCKED -> " (blocked, not charged)";
            case CAPPED -> " (capped at " + rated.amount() + ")";
            default -> "";
        };
    }

    private static BigDecimal perUnit(BigDecimal amount, BigDecimal quantity) {
        return quantity.signum() == 0 ? BigDecimal.ZERO : amount.divide(quantity, MathContext.DECIMAL64);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}

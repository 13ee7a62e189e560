package dev.accrue.core.catalog;

import dev.accrue.core.alert.Thresholds;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.BillingTiming;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a whole catalog and reports every problem at once (not just the first), so an operator fixes a file
 * in one pass. Pure: no I/O, same answer for the same document.
 */
public final class CatalogValidator {
    private static final List<String> RENTED_ITEM_ATTRIBUTES = List.of("country", "type");
    private static final Pattern CODE = Pattern.compile("^[a-z0-9][a-z0-9_.-]{0,63}$");
    /**
     * The largest amount (price, cap, fee) or limit a catalog or a deal may state. With the largest quantity
     * (1,000,000) over a year it still fits the invoice columns (numeric(20, 6), below 10^14), so no billing
     * run can overflow on a price that was accepted.
     */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");
    /** Unit prices keep up to this many decimals (a per-second rate of a per-minute price); see billing.md. */
    public static final int MAX_DECIMALS = 9;
    /** The largest quota or allowance a catalog or a deal may state. */
    public static final BigDecimal MAX_QUANTITY = new BigDecimal("1000000000000");
    /** The charge code of a plan's minimum commitment true-up line, so no charge may take it. */
    public static final String MINIMUM_COMMITMENT_CODE = "minimum_commitment";
    private final Catalog catalog;
    private final List<CatalogProblem> problems = new ArrayList<>();
    private final Set<String> currencies = new HashSet<>();

    private CatalogValidator(Catalog catalog) {
        this.catalog = catalog;
    }

    public static List<CatalogProblem> validate(Catalog catalog) {
        CatalogValidator v = new CatalogValidator(catalog);
        v.run();
        return List.copyOf(v.problems);
    }

    /**
     * An enterprise deal on a plan of {@code catalog} (an imported, valid version), checked by the very rules
     * its catalog prices, allowances, limits, quotas and rate rows obey; paths start with {@code overrides.}.
     */
    public static List<CatalogProblem> validateOverrides(Catalog catalog, PlanOverrides overrides) {
        CatalogValidator v = new CatalogValidator(catalog);
        v.currencies.addAll(catalog.currencies());
        overrides.prices().forEach((charge, byCurrency) -> v.recurringAmounts("overrides.prices." + charge, byCurrency));
        overrides.allowances().forEach((charge, list) -> v.allowances("overrides.allowances." + charge, list));
        v.limitsAndQuotas("overrides", overrides.limits(), overrides.quotas());
        v.progressiveBilling("overrides.progressive_billing", overrides.progressiveBilling());
        overrides.contractedRates().forEach((table, rows) -> {
            for (int r = 0; r < rows.size(); r++) {
                v.amounts("overrides.contracted_rates." + table + "[" + r + "].price", rows.get(r).price(), false);
            }
        });
        return List.copyOf(v.problems);
    }

    private void run() {
        required("name", catalog.name());
        if (catalog.version() < 1) {
            problem(CatalogProblem.INVALID_VALUE, "version", "version must be a positive integer, got " + catalog.version());
        }
        if (catalog.effectiveFrom() == null) {
            problem(CatalogProblem.MISSING_FIELD, "effective_from", "effective_from is required (e.g. 2026-01-01T00:00:00Z)");
        }
        if (catalog.currencies().isEmpty()) {
            problem(CatalogProblem.MISSING_FIELD, "currencies", "currencies must list at least one ISO 4217 code");
        }
        for (int i = 0; i < catalog.currencies().size(); i++) {
            String c = catalog.currencies().get(i);
            if (c == null || !c.matches("[A-Z]{3}") || !knownCurrency(c)) {
                problem(CatalogProblem.INVALID_CURRENCY, "currencies[" + i + "]", "'" + c + "' is not an ISO 4217 currency code");
            } else {
                currencies.add(c);
            }
        }
        uniqueCodes("metrics", catalog.metrics(), Metric::code);
        uniqueCodes("rate_tables", catalog.rateTables(), RateTable::code);
        uniqueCodes("features", catalog.features(), Feature::code);
        uniqueCodes("products", catalog.products(), Product::code);
        uniqueCodes("plans", catalog.plans(), Plan::code);
        uniqueCodes("add_ons", catalog.addOns(), AddOn::code);
        for (int i = 0; i < catalog.metrics().size(); i++) {
            metric("metrics[" + i + "]", catalog.metrics().get(i));
        }
        for (int i = 0; i < catalog.features().size(); i++) {
            Feature f = catalog.features().get(i);
            if (f.type() == null) {
                problem(CatalogProblem.MISSING_FIELD, "features[" + i + "].type", "type is required: boolean, limit or quota");
            }
        }
        for (int i = 0; i < catalog.rateTables().size(); i++) {
            rateTable("rate_tables[" + i + "]", catalog.rateTables().get(i));
        }
        Set<String> tiers = new HashSet<>();
        for (int i = 0; i < catalog.plans().size(); i++) {
            Plan p = catalog.plans().get(i);
            plan("plans[" + i + "]", p);
            // upgrade or downgrade is decided by the tier rank, so it must be unique within a product
            if (p.product() != null && !tiers.add(p.product() + "#" + p.tier())) {
                problem(CatalogProblem.DUPLICATE_CODE, "plans[" + i + "].tier", "another plan of product " + p.product() + " already has tier " + p.tier());
            }
        }
        for (int i = 0; i < catalog.addOns().size(); i++) {
            addOn("add_ons[" + i + "]", catalog.addOns().get(i));
        }
    }

    private void metric(String path, Metric m) {
        if (m.aggregation() == null) {
            problem(CatalogProblem.MISSING_FIELD, path + ".aggregation",
                    "aggregation is required: sum, count, max, unique_count, latest, time_weighted_sum or persistent");
        } else if (m.aggregation() != Aggregation.COUNT && (m.field() == null || m.field().isBlank())) {
            problem(CatalogProblem.MISSING_FIELD, path + ".field", "field (the event property to aggregate) is required for " + m.aggregation().name().toLowerCase());
        }
        if (m.allowNegative() && m.aggregation() != null && m.aggregation() != Aggregation.SUM) {
            problem(CatalogProblem.INVALID_VALUE, path + ".allow_negative", "negative values are adjustments within a sum; metric " + m.code()
                    + " aggregates by " + m.aggregation().name().toLowerCase());
        }
        if (m.aggregation() == Aggregation.PERSISTENT && !m.groupBy().isEmpty()) {
            problem(CatalogProblem.NOT_SUPPORTED, path + ".group_by", "a persistent metric's units are held whole; its usage is not broken down by "
                    + m.groupBy());
        }
        if (m.aggregation() == Aggregation.PERSISTENT && !m.filters().isEmpty()) {
            problem(CatalogProblem.NOT_SUPPORTED, path + ".filters", "a persistent metric holds every unit added; leaving some add or remove "
                    + "events uncounted would leave units held forever");
        }
    }

    private void rateTable(String path, RateTable t) {
        if (t.dimensions().isEmpty()) {
            problem(CatalogProblem.MISSING_FIELD, path + ".dimensions", "a rate table needs at least one dimension");
        }
        positive(path + ".per_units", t.perUnits());
        if (t.rows().isEmpty() && t.defaultPrice().isEmpty()) {
            problem(CatalogProblem.MISSING_FIELD, path + ".rows", "a rate table needs rows or a default_price");
        }
        Set<Map<String, String>> matches = new HashSet<>();
        for (int r = 0; r < t.rows().size(); r++) {
            RateRow row = t.rows().get(r);
            String rowPath = path + ".rows[" + r + "]";
            if (!matches.add(row.match())) {
                problem(CatalogProblem.DUPLICATE_CODE, rowPath + ".match", "another row of " + t.code() + " already matches " + row.match()
                        + "; the rate would depend on row order");
            }
            for (String dim : row.match().keySet()) {
                if (!t.dimensions().contains(dim)) {
                    problem(CatalogProblem.UNKNOWN_REFERENCE, rowPath + ".match." + dim, "'" + dim + "' is not one of the table's dimensions " + t.dimensions());
                }
            }
            amounts(rowPath + ".price", row.price(), false);
        }
        amounts(path + ".default_price", t.defaultPrice(), false);
    }

    private void plan(String path, Plan p) {
        required(path + ".product", p.product());
        if (p.product() != null && catalog.product(p.product()).isEmpty()) {
            problem(CatalogProblem.UNKNOWN_REFERENCE, path + ".product", "No product '" + p.product() + "' in this catalog");
        }
        required(path + ".name", p.name());
        if (p.trialDays() < 0 || p.trialDays() > 365) {
            problem(CatalogProblem.INVALID_VALUE, path + ".trial_days", "trial_days must be 0-365, got " + p.trialDays());
        }
        if (p.intervals().isEmpty()) {
            problem(CatalogProblem.MISSING_FIELD, path + ".intervals", "a plan needs at least one billing interval");
        }
        Set<BillingInterval> seen = new HashSet<>();
        for (int i = 0; i < p.intervals().size(); i++) {
            IntervalOption o = p.intervals().get(i);
            String ip = path + ".intervals[" + i + "]";
            if (o.interval() == null) {
                problem(CatalogProblem.MISSING_FIELD, ip + ".interval", "interval is required: week, month, quarter, half_year or year");
                continue;
            }
            if (!seen.add(o.interval())) {
                problem(CatalogProblem.DUPLICATE_CODE, ip + ".interval", "interval " + o.interval().wire() + " is listed twice");
            }
            if (o.discountPercent().signum() < 0 || o.discountPercent().compareTo(BigDecimal.valueOf(100)) >= 0) {
                problem(CatalogProblem.DISCOUNT_OUT_OF_RANGE, ip + ".discount_percent", "discount_percent must be in [0, 100), got " + o.discountPercent().toPlainString());
            }
        }
        uniqueCodes(path + ".charges", p.charges(), Charge::code);
        for (int c = 0; c < p.charges().size(); c++) {
            charge(path + ".charges[" + c + "]", p, p.charges().get(c));
        }
        entitlements(path + ".entitlements", p.entitlements());
        if (p.lockIn() != null && (p.lockIn().months() < 1 || p.lockIn().months() > 120)) {
            problem(CatalogProblem.INVALID_VALUE, path + ".lock_in.months", "lock_in.months must be 1-120, got " + p.lockIn().months());
        }
        cancellation(path + ".cancellation", p.cancellation());
        allowanceResets(path, p);
        usageAlerts(path + ".usage_alerts", p);
        minimum(path + ".minimum_commitment", p.minimumCommitment());
        progressiveBilling(path + ".progressive_billing", p.progressiveBilling());
        weeklyMinimums(path, p);
        phases(path, p);
    }

    /**
     * Plan phases (issue 16): an introductory price names recurring charges of the plan and lasts 1–120 periods; a term
     * lasts 1–120 periods, at least as long as the introduction, and moves to another plan of the same product or ends;
     * one-time fees have codes of their own and a whole-minor-unit amount in every currency.
     */
    private void phases(String path, Plan p) {
        Introductory intro = p.introductory();
        if (intro != null) {
            String ip = path + ".introductory";
            if (intro.periods() < 1 || intro.periods() > 120) {
                problem(CatalogProblem.INVALID_VALUE, ip + ".periods", "introductory.periods must be 1-120, got " + intro.periods());
            }
            if (intro.prices().isEmpty()) {
                problem(CatalogProblem.MISSING_FIELD, ip + ".prices", "an introductory price needs prices: recurring charge code → monthly amount per currency");
            }
            intro.prices().forEach((charge, byCurrency) -> {
                if (!(p.charge(charge).orElse(null) instanceof RecurringCharge)) {
                    problem(CatalogProblem.UNKNOWN_REFERENCE, ip + ".prices." + charge, "Plan " + p.code() + " has no recurring charge '" + charge + "'");
                }
                recurringAmounts(ip + ".prices." + charge, byCurrency);
            });
            if (p.interval(BillingInterval.WEEK).isPresent()) {
                problem(CatalogProblem.NOT_SUPPORTED, ip, "introductory prices are monthly amounts; plan " + p.code()
                        + " offers a week interval, which has no whole number of months");
            }
        }
        FixedTerm term = p.term();
        if (term != null) {
            String tp = path + ".term";
            if (term.periods() < 1 || term.periods() > 120) {
                problem(CatalogProblem.INVALID_VALUE, tp + ".periods", "term.periods must be 1-120, got " + term.periods());
            } else if (intro != null && intro.periods() > term.periods()) {
                problem(CatalogProblem.INVALID_VALUE, tp + ".periods", "the term (" + term.periods() + " periods) ends before the introductory price ("
                        + intro.periods() + " periods)");
            }
            if (term.thenPlan() != null) {
                Plan next = catalog.plan(term.thenPlan()).orElse(null);
                if (next == null) {
                    problem(CatalogProblem.UNKNOWN_REFERENCE, tp + ".then_plan", "No plan '" + term.thenPlan() + "' in this catalog");
                } else if (next.code().equals(p.code()) || !next.product().equals(p.product())) {
                    problem(CatalogProblem.INVALID_VALUE, tp + ".then_plan", "then_plan must be another plan of product " + p.product()
                            + ", got " + next.code() + (next.code().equals(p.code()) ? " (this plan)" : " (product " + next.product() + ")"));
                }
            }
        }
        uniqueCodes(path + ".one_time_fees", p.oneTimeFees(), OneTimeFee::code);
        for (int i = 0; i < p.oneTimeFees().size(); i++) {
            OneTimeFee fee = p.oneTimeFees().get(i);
            String fp = path + ".one_time_fees[" + i + "]";
            if (fee.code() != null && p.charge(fee.code()).isPresent()) {
                problem(CatalogProblem.DUPLICATE_CODE, fp + ".code", "code '" + fee.code() + "' is also a charge of plan " + p.code());
            }
            recurringAmounts(fp + ".amount", fee.amount());
            for (String currency : currencies) {
                if (!fee.amount().containsKey(currency)) {
                    problem(CatalogProblem.MISSING_PRICE, fp + ".amount", "a one-time fee needs an amount in every catalog currency; no " + currency + " amount");
                }
            }
            if (fee.on() == OneTimeFee.Trigger.INTRODUCTORY_END && intro == null) {
                problem(CatalogProblem.INVALID_VALUE, fp + ".on", "on: introductory_end needs an introductory price on plan " + p.code());
            }
        }
    }

    /** Alert thresholds name a metric of the catalog, once each; percents are 1–1000, amounts above 0 (core/alert/Thresholds). */
    private void usageAlerts(String path, Plan p) {
        Set<String> metrics = new HashSet<>();
        for (int i = 0; i < p.usageAlerts().size(); i++) {
            UsageAlertSpec a = p.usageAlerts().get(i);
            String ap = path + "[" + i + "]";
            if (a.metric() == null) {
                problem(CatalogProblem.MISSING_FIELD, ap + ".metric", "metric is required");
                continue;
            }
            if (catalog.metric(a.metric()).isEmpty()) {
                // a metric the plan does not meter (yet: an add-on may) simply never reaches a threshold
                problem(CatalogProblem.UNKNOWN_REFERENCE, ap + ".metric", "No metric '" + a.metric() + "' in this catalog");
            }
            if (!metrics.add(a.metric())) {
                problem(CatalogProblem.DUPLICATE_CODE, ap + ".metric", "metric '" + a.metric() + "' has alerts listed twice");
            }
            List<BigDecimal> percents = a.percents() == null ? List.of() : a.percents();
            for (int k = 0; k < percents.size(); k++) {
                String error = Thresholds.percentError(percents.get(k));
                if (error != null) {
                    problem(CatalogProblem.INVALID_VALUE, ap + ".percents[" + k + "]", error);
                }
            }
            for (int k = 0; k < a.amounts().size(); k++) {
                String error = Thresholds.amountError(a.amounts().get(k));
                if (error != null) {
                    problem(CatalogProblem.INVALID_VALUE, ap + ".amounts[" + k + "]", error);
                }
            }
        }
    }

    /**
     * A minimum (a charge's spending minimum, a plan's commitment) is an amount per month of the billing period, billed
     * as a true-up line: whole minor units like a recurring price, and given in every currency so no customer escapes it.
     */
    private void minimum(String path, Map<String, BigDecimal> amounts) {
        if (amounts.isEmpty()) {
            return;
        }
        recurringAmounts(path, amounts);
        for (String currency : currencies) {
            if (!amounts.containsKey(currency)) {
                problem(CatalogProblem.MISSING_PRICE, path, "a minimum needs an amount in every catalog currency; no " + currency + " amount");
            }
        }
    }

    /** Minimums scale by the months of the period; a week has no whole number of months, so a weekly plan cannot have one. */
    private void weeklyMinimums(String path, Plan p) {
        if (p.interval(BillingInterval.WEEK).isEmpty()) {
            return;
        }
        if (!p.minimumCommitment().isEmpty()) {
            problem(CatalogProblem.NOT_SUPPORTED, path + ".minimum_commitment", "minimums are amounts per month; plan " + p.code()
                    + " offers a week interval, which has no whole number of months");
        }
        for (int c = 0; c < p.charges().size(); c++) {
            if (p.charges().get(c) instanceof MeteredCharge m && !m.minimumSpend().isEmpty()) {
                problem(CatalogProblem.NOT_SUPPORTED, path + ".charges[" + c + "].minimum_spend", "minimums are amounts per month; plan "
                        + p.code() + " offers a week interval, which has no whole number of months");
            }
        }
    }

    /** A prorated refund gives back the unused days of a period cut short, so it needs an immediate cancellation. */
    private void cancellation(String path, CancellationPolicy c) {
        if (c.refund() == CancellationPolicy.Refund.PRORATED && c.effective() != CancellationPolicy.Effective.IMMEDIATE) {
            problem(CatalogProblem.INVALID_VALUE, path + ".refund", "refund: prorated needs effective: immediate (a cancellation at the end of "
                    + "the paid period leaves no unused days to refund)");
        }
    }

    /**
     * Usage is consumed window by window on ONE reset cadence per charge, so every allowance of a metered charge,
     * including the derived allowances aimed at its metric, must reset alike; and a derived allowance needs a
     * metered charge on its metric to add to, or it would be silently dropped.
     */
    private void allowanceResets(String path, Plan p) {
        for (int c = 0; c < p.charges().size(); c++) {
            if (!(p.charges().get(c) instanceof MeteredCharge m)) {
                continue;
            }
            Set<ResetCadence> resets = new HashSet<>();
            m.allowances().forEach(a -> resets.add(a.reset()));
            for (Charge other : p.charges()) {
                if (other instanceof CountedCharge k) {
                    k.derivedAllowances().stream().filter(d -> m.metric() != null && m.metric().equals(d.metric()))
                            .forEach(d -> resets.add(resetOf(d.reset())));
                }
            }
            if (resets.size() > 1) {
                problem(CatalogProblem.NOT_SUPPORTED, path + ".charges[" + c + "].allowances", "all allowances of a charge (derived ones included) "
                        + "must reset on one cadence, got " + resets.stream().map(r -> r.name().toLowerCase()).sorted().toList());
            }
        }
        for (int c = 0; c < p.charges().size(); c++) {
            if (!(p.charges().get(c) instanceof CountedCharge k)) {
                continue;
            }
            for (int i = 0; i < k.derivedAllowances().size(); i++) {
                String metric = k.derivedAllowances().get(i).metric();
                boolean metered = p.charges().stream().anyMatch(o -> o instanceof MeteredCharge m && metric != null && metric.equals(m.metric()));
                if (metric != null && !metered) {
                    problem(CatalogProblem.UNKNOWN_REFERENCE, path + ".charges[" + c + "].derived_allowances[" + i + "].metric",
                            "plan " + p.code() + " has no metered charge on '" + metric + "' to add this allowance to");
                }
            }
        }
    }

    private static ResetCadence resetOf(ResetCadence reset) {
        return reset == null ? ResetCadence.BILLING_PERIOD : reset;
    }

    private void charge(String path, Plan plan, Charge charge) {
        if (MINIMUM_COMMITMENT_CODE.equals(charge.code())) {
            problem(CatalogProblem.INVALID_VALUE, path + ".code", "'" + MINIMUM_COMMITMENT_CODE + "' is the charge code of the plan's minimum "
                    + "commitment line; choose another code");
        }
        switch (charge) {
            case RecurringCharge r -> {
                recurringAmounts(path + ".monthly_price", r.monthlyPrice());
                r.intervalPrices().forEach((interval, prices) -> {
                    if (BillingInterval.fromWire(interval) == null) {
                        problem(CatalogProblem.INVALID_VALUE, path + ".interval_prices." + interval, "'" + interval + "' is not an interval: week, month, quarter, half_year or year");
                    }
                    recurringAmounts(path + ".interval_prices." + interval, prices);
                });
                Set<String> reported = new HashSet<>();
                for (IntervalOption o : plan.intervals()) {
                    if (o.interval() == null) {
                        continue;
                    }
                    for (String currency : currencies) {
                        boolean weeklyOption = o.interval() == BillingInterval.WEEK;
                        if (r.periodPrice(o, currency).isEmpty() && reported.add(weeklyOption + currency)) {
                            boolean weekly = o.interval() == BillingInterval.WEEK;
                            problem(weekly ? CatalogProblem.WEEKLY_NEEDS_PRICE : CatalogProblem.MISSING_PRICE,
                                    weekly ? path + ".interval_prices.week" : path + ".monthly_price",
                                    weekly ? "weekly billing needs an explicit interval_prices.week price in " + currency
                                            : "no " + currency + " price for interval " + o.interval().wire());
                        }
                    }
                }
            }
            case MeteredCharge m -> metered(path, m);
            case CountedCharge k -> {
                metricRef(path + ".metric", k.metric());
                tiers(path + ".tiers", k.tiers(), true);
                if (plan.interval(BillingInterval.WEEK).isPresent()) {
                    problem(CatalogProblem.INVALID_VALUE, path, "counted charges are priced per month; plan " + plan.code()
                            + " cannot offer a week interval with one");
                }
                for (int i = 0; i < k.derivedAllowances().size(); i++) {
                    DerivedAllowance d = k.derivedAllowances().get(i);
                    metricRef(path + ".derived_allowances[" + i + "].metric", d.metric());
                    positive(path + ".derived_allowances[" + i + "].per_unit", d.perUnit());
                }
            }
        }
    }

    private void metered(String path, MeteredCharge m) {
        metricRef(path + ".metric", m.metric());
        if (m.timing() == BillingTiming.IN_ADVANCE) {
            // usage is only known once it happened: there is nothing to invoice in advance
            problem(CatalogProblem.INVALID_VALUE, path + ".timing", "metered charges are billed in arrears; timing in_advance is not supported");
        }
        if (m.cutAtMonthStart() && m.invoiceCadence() == ResetCadence.BILLING_PERIOD) {
            problem(CatalogProblem.INVALID_VALUE, path + ".cut_at_month_start", "cut_at_month_start needs an invoice_cadence of its own (week, month or year)");
        }
        allowances(path + ".allowances", m.allowances());
        minimum(path + ".minimum_spend", m.minimumSpend());
        transactionCharge(path, m);
        if (!m.minimumSpend().isEmpty() && m.invoiceCadence() != ResetCadence.BILLING_PERIOD) {
            problem(CatalogProblem.NOT_SUPPORTED, path + ".minimum_spend", "a spending minimum is settled when the billing period closes; "
                    + "a charge invoiced on its own cadence (" + m.invoiceCadence().name().toLowerCase() + ") cannot have one");
        }
        if (m.pricing() != null && m.rateTable() != null) {
            problem(CatalogProblem.PRICING_CONFLICT, path, "give either pricing or rate_table, not both");
        } else if (m.pricing() == null && m.rateTable() == null && m.overage().policy() != Overage.OveragePolicy.BLOCK) {
            problem(CatalogProblem.MISSING_PRICE, path + ".pricing", "a metered charge that is not blocked past its allowance needs pricing or a rate_table");
        }
        if (m.rateTable() != null && catalog.rateTable(m.rateTable()).isEmpty()) {
            problem(CatalogProblem.UNKNOWN_REFERENCE, path + ".rate_table", "No rate table '" + m.rateTable() + "' in this catalog");
        }
        if (m.pricing() != null) {
            pricing(path + ".pricing", m.pricing());
        }
        Overage o = m.overage();
        if (o.policy() == null) {
            problem(CatalogProblem.MISSING_FIELD, path + ".overage.policy", "overage.policy is required: block, charge or charge_up_to_cap");
        } else if (o.policy() == Overage.OveragePolicy.CHARGE_UP_TO_CAP) {
            if (o.cap().isEmpty()) {
                problem(CatalogProblem.CAP_MISSING, path + ".overage.cap", "charge_up_to_cap needs a cap amount per currency");
            } else {
                amounts(path + ".overage.cap", o.cap(), true);
            }
        } else if (!o.cap().isEmpty()) {
            problem(CatalogProblem.CAP_WITHOUT_CAP_POLICY, path + ".overage.cap", "a cap only applies with policy charge_up_to_cap, not " + o.policy().name().toLowerCase());
        }
    }

    private void pricing(String path, Pricing p) {
        if (p.model() == null) {
            problem(CatalogProblem.MISSING_FIELD, path + ".model", "model is required: per_unit, graduated, volume, package, percentage, "
                    + "graduated_percentage or dynamic");
            return;
        }
        positive(path + ".per_units", p.perUnits());
        switch (p.model()) {
            case PER_UNIT -> amounts(path + ".unit_price", p.unitPrice(), true);
            case GRADUATED, VOLUME -> tiers(path + ".tiers", p.tiers(), false);
            case PACKAGE -> {
                positive(path + ".package_size", p.packageSize());
                amounts(path + ".package_price", p.packagePrice(), true);
            }
            case PERCENTAGE -> {
                if (p.rate() == null) {
                    problem(CatalogProblem.MISSING_FIELD, path + ".rate", "percentage pricing needs a rate (percent of the amount processed)");
                }
                rate(path + ".rate", p.rate());
                amounts(path + ".fixed_fee", p.fixedFee(), !p.fixedFee().isEmpty());
                if (p.freeAmount() != null && p.freeAmount().signum() < 0) {
                    problem(CatalogProblem.NEGATIVE_AMOUNT, path + ".free_amount", "free_amount must be zero or more");
                }
                if (p.freeTransactions() != null && p.freeTransactions() < 0) {
                    problem(CatalogProblem.INVALID_VALUE, path + ".free_transactions", "free_transactions must be zero or more, got " + p.freeTransactions());
                }
                perTransactionBounds(path, p);
            }
            case GRADUATED_PERCENTAGE -> percentageTiers(path + ".tiers", p.tiers());
            case DYNAMIC -> {
            }
        }
        unusedPricingKeys(path, p);
    }

    /**
     * Per-transaction bounds (issue 16): amounts in every currency when given, a minimum not above the maximum, and not
     * with free_amount / free_transactions — bounded fees are summed event by event, and which events a free amount or
     * free count covers would depend on the order they arrived in.
     */
    private void perTransactionBounds(String path, Pricing p) {
        amounts(path + ".per_transaction_min", p.perTransactionMin(), !p.perTransactionMin().isEmpty());
        amounts(path + ".per_transaction_max", p.perTransactionMax(), !p.perTransactionMax().isEmpty());
        p.perTransactionMin().forEach((currency, min) -> {
            BigDecimal max = p.perTransactionMax().get(currency);
            if (min != null && max != null && min.compareTo(max) > 0) {
                problem(CatalogProblem.INVALID_VALUE, path + ".per_transaction_min." + currency, "per_transaction_min " + min.toPlainString()
                        + " is above per_transaction_max " + max.toPlainString());
            }
        });
        if (p.boundsEachTransaction() && p.freeAmount() != null) {
            problem(CatalogProblem.INVALID_VALUE, path + ".free_amount", "a fee bounded per transaction is priced event by event; "
                    + "free_amount cannot be combined with per_transaction_min or per_transaction_max");
        }
        if (p.boundsEachTransaction() && p.freeTransactions() != null) {
            problem(CatalogProblem.INVALID_VALUE, path + ".free_transactions", "a fee bounded per transaction is priced event by event; "
                    + "free_transactions cannot be combined with per_transaction_min or per_transaction_max");
        }
    }

    /**
     * Progressive billing thresholds: at least one threshold or a recurring step; each an amount above zero in every catalog
     * currency (a threshold of zero would invoice every event), strictly ascending per currency, in whole minor units (an
     * invoice is issued when usage reaches them, so they are compared with rounded usage amounts).
     */
    private void progressiveBilling(String path, ProgressiveBilling pb) {
        if (pb == null) {
            return;
        }
        if (pb.thresholds().isEmpty() && pb.recurring().isEmpty()) {
            problem(CatalogProblem.MISSING_FIELD, path + ".thresholds", "progressive billing needs thresholds, a recurring amount or both");
        }
        Map<String, BigDecimal> previous = new HashMap<>();
        for (int i = 0; i < pb.thresholds().size(); i++) {
            String tp = path + ".thresholds[" + i + "]";
            Map<String, BigDecimal> t = pb.thresholds().get(i) == null ? Map.of() : pb.thresholds().get(i);
            recurringAmounts(tp, t);
            everyCurrency(tp, t);
            t.forEach((currency, amount) -> {
                if (amount != null && amount.signum() == 0) {
                    problem(CatalogProblem.INVALID_VALUE, tp + "." + currency, "a threshold is above zero");
                }
                BigDecimal before = previous.put(currency, amount);
                if (amount != null && before != null && amount.compareTo(before) <= 0) {
                    problem(CatalogProblem.TIERS_NOT_ASCENDING, tp + "." + currency, "thresholds ascend: " + amount.toPlainString()
                            + " is not above the previous " + before.toPlainString());
                }
            });
        }
        if (!pb.recurring().isEmpty()) {
            recurringAmounts(path + ".recurring", pb.recurring());
            everyCurrency(path + ".recurring", pb.recurring());
            pb.recurring().forEach((currency, amount) -> {
                if (amount != null && amount.signum() == 0) {
                    problem(CatalogProblem.INVALID_VALUE, path + ".recurring." + currency, "a recurring threshold is above zero");
                }
            });
        }
    }

    private void everyCurrency(String path, Map<String, BigDecimal> amounts) {
        for (String currency : currencies) {
            if (!amounts.containsKey(currency)) {
                problem(CatalogProblem.MISSING_PRICE, path, "no " + currency + " amount");
            }
        }
    }

    /** A percent in [0, 100] with at most 9 decimals. */
    private void rate(String path, BigDecimal rate) {
        if (rate != null && (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0)) {
            problem(CatalogProblem.INVALID_VALUE, path, "a rate is a percent in [0, 100], got " + rate.toPlainString());
        } else if (rate != null && rate.stripTrailingZeros().scale() > MAX_DECIMALS) {
            problem(CatalogProblem.INVALID_AMOUNT, path, "a rate has at most " + MAX_DECIMALS + " decimals, got " + rate.toPlainString());
        }
    }

    /** Tiers of an amount processed, each with a rate (and maybe a flat price), never a unit price. */
    private void percentageTiers(String path, List<Tier> tiers) {
        tiers(path, tiers, false, true);
        for (int i = 0; i < tiers.size(); i++) {
            Tier t = tiers.get(i);
            if (t.rate() == null) {
                problem(CatalogProblem.MISSING_PRICE, path + "[" + i + "].rate", "a graduated_percentage tier needs a rate");
            }
            rate(path + "[" + i + "].rate", t.rate());
            if (!t.unitPrice().isEmpty()) {
                problem(CatalogProblem.INVALID_VALUE, path + "[" + i + "].unit_price", "graduated_percentage tiers take a rate, not a unit_price");
            }
        }
    }

    /** A pricing key its model does not read would be accepted and ignored: refuse it instead. */
    private void unusedPricingKeys(String path, Pricing p) {
        boolean percentage = p.model() == PriceModel.PERCENTAGE;
        if (!percentage && p.rate() != null) {
            problem(CatalogProblem.INVALID_VALUE, path + ".rate", "rate only applies to model percentage (graduated_percentage tiers take their own)");
        }
        if (!percentage && !p.fixedFee().isEmpty()) {
            problem(CatalogProblem.INVALID_VALUE, path + ".fixed_fee", "fixed_fee only applies to model percentage");
        }
        if (!percentage && p.freeAmount() != null) {
            problem(CatalogProblem.INVALID_VALUE, path + ".free_amount", "free_amount only applies to model percentage");
        }
        if (!percentage && !p.perTransactionMin().isEmpty()) {
            problem(CatalogProblem.INVALID_VALUE, path + ".per_transaction_min", "per_transaction_min only applies to model percentage");
        }
        if (!percentage && !p.perTransactionMax().isEmpty()) {
            problem(CatalogProblem.INVALID_VALUE, path + ".per_transaction_max", "per_transaction_max only applies to model percentage");
        }
        if (!percentage && p.freeTransactions() != null) {
            problem(CatalogProblem.INVALID_VALUE, path + ".free_transactions", "free_transactions only applies to model percentage");
        }
        if (p.model() != PriceModel.GRADUATED_PERCENTAGE) {
            for (int i = 0; i < p.tiers().size(); i++) {
                if (p.tiers().get(i).rate() != null) {
                    problem(CatalogProblem.INVALID_VALUE, path + ".tiers[" + i + "].rate", "a tier rate only applies to model graduated_percentage");
                }
            }
        }
        if (p.model().pricesTransactions()) {
            if (p.perUnits().compareTo(BigDecimal.ONE) != 0) {
                problem(CatalogProblem.INVALID_VALUE, path + ".per_units", p.model().name().toLowerCase() + " prices an amount, so per_units does not apply");
            }
            if (!p.unitPrice().isEmpty()) {
                problem(CatalogProblem.INVALID_VALUE, path + ".unit_price", p.model().name().toLowerCase() + " prices an amount, not units");
            }
            if (p.model() != PriceModel.GRADUATED_PERCENTAGE && !p.tiers().isEmpty()) {
                problem(CatalogProblem.INVALID_VALUE, path + ".tiers", p.model().name().toLowerCase() + " has no tiers");
            }
            if (p.packageSize() != null || !p.packagePrice().isEmpty()) {
                problem(CatalogProblem.INVALID_VALUE, path + ".package_size", p.model().name().toLowerCase() + " has no packages");
            }
        }
    }

    /**
     * A charge priced by transactions sums an amount each event carries, so its metric must be a sum; the free amount and
     * free transactions are its allowances and its overage is always charged (a cap or a block would need a unit price).
     */
    private void transactionCharge(String path, MeteredCharge m) {
        if (m.pricing() == null || m.pricing().model() == null || !m.pricing().model().pricesTransactions()) {
            return;
        }
        String model = m.pricing().model().name().toLowerCase();
        catalog.metric(m.metric()).filter(metric -> metric.aggregation() != Aggregation.SUM).ifPresent(metric ->
                problem(CatalogProblem.INVALID_VALUE, path + ".metric", model + " pricing sums the amount each event carries; metric "
                        + metric.code() + " aggregates by " + metric.aggregation().name().toLowerCase() + ", not sum"));
        catalog.metric(m.metric()).filter(Metric::allowNegative).ifPresent(metric ->
                problem(CatalogProblem.INVALID_VALUE, path + ".metric", model + " pricing prices each transaction's amount, which is never "
                        + "negative; metric " + metric.code() + " allows negative values"));
        if (!m.allowances().isEmpty()) {
            problem(CatalogProblem.INVALID_VALUE, path + ".allowances", model + " pricing has no unit allowances; give free_amount or free_transactions");
        }
        if (m.overage().policy() != Overage.OveragePolicy.CHARGE) {
            problem(CatalogProblem.INVALID_VALUE, path + ".overage.policy", model + " pricing is always charged; block and charge_up_to_cap need a unit price");
        }
    }

    private void tiers(String path, List<Tier> tiers, boolean flatOnly) {
        tiers(path, tiers, flatOnly, false);
    }

    private void tiers(String path, List<Tier> tiers, boolean flatOnly, boolean rated) {
        if (tiers.isEmpty()) {
            problem(CatalogProblem.MISSING_FIELD, path, "at least one tier is required");
            return;
        }
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < tiers.size(); i++) {
            Tier t = tiers.get(i);
            String tp = path + "[" + i + "]";
            boolean last = i == tiers.size() - 1;
            if (t.upTo() == null && !last) {
                problem(CatalogProblem.TIERS_NOT_ASCENDING, tp + ".up_to", "only the last tier may be open-ended (up_to omitted)");
            } else if (t.upTo() != null && t.upTo().compareTo(previous) <= 0) {
                problem(CatalogProblem.TIERS_NOT_ASCENDING, tp + ".up_to", "up_to must be greater than the previous tier's (" + previous.toPlainString() + ")");
            }
            if (last && t.upTo() != null) {
                problem(CatalogProblem.LAST_TIER_BOUNDED, tp + ".up_to", "the last tier must be open-ended: omit up_to");
            }
            if (t.upTo() != null) {
                previous = t.upTo();
            }
            if (!rated && t.unitPrice().isEmpty() && t.flatPrice().isEmpty()) {
                problem(CatalogProblem.MISSING_PRICE, tp, "a tier needs unit_price or flat_price");
            }
            if (flatOnly && !t.unitPrice().isEmpty()) {
                problem(CatalogProblem.INVALID_VALUE, tp + ".unit_price", "counted charges price each band with flat_price only");
            }
            amounts(tp + ".unit_price", t.unitPrice(), false);
            amounts(tp + ".flat_price", t.flatPrice(), flatOnly); // a counted band needs a price in every currency
        }
    }

    private void entitlements(String path, Entitlements e) {
        e.features().keySet().forEach(f -> featureRef(path + ".features." + f, f, FeatureType.BOOLEAN));
        limitsAndQuotas(path, e.limits(), e.quotas());
    }

    private void limitsAndQuotas(String path, Map<String, BigDecimal> limits, Map<String, Long> quotas) {
        limits.forEach((f, v) -> {
            featureRef(path + ".limits." + f, f, FeatureType.LIMIT);
            if (v == null || v.signum() < 0) {
                problem(CatalogProblem.NEGATIVE_AMOUNT, path + ".limits." + f, "limits cannot be negative");
            } else {
                bounded(path + ".limits." + f, v, MAX_QUANTITY);
            }
        });
        quotas.forEach((f, v) -> {
            featureRef(path + ".quotas." + f, f, FeatureType.QUOTA);
            if (v == null || v < 0) {
                problem(CatalogProblem.NEGATIVE_AMOUNT, path + ".quotas." + f, "quotas cannot be negative");
            } else {
                bounded(path + ".quotas." + f, BigDecimal.valueOf(v), MAX_QUANTITY);
            }
        });
    }

    private void allowances(String path, List<Allowance> allowances) {
        for (int i = 0; i < allowances.size(); i++) {
            Allowance a = allowances.get(i);
            if (a == null || a.quantity() == null || a.quantity().signum() < 0) {
                problem(CatalogProblem.NEGATIVE_AMOUNT, path + "[" + i + "].quantity", "allowance quantity must be zero or more");
            } else {
                bounded(path + "[" + i + "].quantity", a.quantity(), MAX_QUANTITY);
            }
        }
    }

    /** At most {@link #MAX_DECIMALS} decimals and at most {@code max}: what the ledger and invoice columns hold. */
    private boolean bounded(String path, BigDecimal value, BigDecimal max) {
        if (value.stripTrailingZeros().scale() > MAX_DECIMALS) {
            problem(CatalogProblem.INVALID_AMOUNT, path, "at most " + MAX_DECIMALS + " decimals, got " + value.toPlainString());
            return false;
        }
        if (value.compareTo(max) > 0) {
            problem(CatalogProblem.INVALID_AMOUNT, path, "at most " + max.toPlainString() + ", got " + value.toPlainString());
            return false;
        }
        return true;
    }

    private void addOn(String path, AddOn a) {
        required(path + ".name", a.name());
        if (a.type() == null) {
            problem(CatalogProblem.MISSING_FIELD, path + ".type", "type is required: package, bundle or rental");
            return;
        }
        for (int i = 0; i < a.availableOn().size(); i++) {
            String plan = a.availableOn().get(i);
            if (catalog.plan(plan).isEmpty()) {
                problem(CatalogProblem.UNKNOWN_REFERENCE, path + ".available_on[" + i + "]", "No plan '" + plan + "' in this catalog");
            }
        }
        for (int i = 0; i < a.grants().size(); i++) {
            Grant g = a.grants().get(i);
            metricRef(path + ".grants[" + i + "].metric", g.metric());
            positive(path + ".grants[" + i + "].quantity", g.quantity());
            grantReset(path + ".grants[" + i + "]", a.type(), g);
        }
        if (a.alignment() == Alignment.ANNIVERSARY) {
            problem(CatalogProblem.NOT_SUPPORTED, path + ".alignment", "add-ons are billed per calendar month; 'anniversary' is not supported");
        }
        amounts(path + ".up_front_fee", a.upFrontFee(), false);
        uniqueCodes(path + ".charges", a.charges(), Charge::code);
        Plan monthly = new Plan(a.code(), null, a.name(), 0, null,
                List.of(new IntervalOption(BillingInterval.MONTH, BigDecimal.ZERO)), a.alignment(), 0, a.charges(), null, null, null, null);
        for (int i = 0; i < a.charges().size(); i++) {
            Charge charge = a.charges().get(i);
            charge(path + ".charges[" + i + "]", monthly, charge);
            if (charge instanceof MeteredCharge m && !m.minimumSpend().isEmpty()) {
                // an add-on is bought and dropped on its own days; its usage has no billing period to settle a minimum on
                problem(CatalogProblem.NOT_SUPPORTED, path + ".charges[" + i + "].minimum_spend", "spending minimums apply to plan charges only");
            }
            if (!(charge instanceof MeteredCharge)) {
                // an add-on's fixed price is its price; its own charges meter the usage it enables
                problem(CatalogProblem.INVALID_VALUE, path + ".charges[" + i + "].type", "an add-on's charges are metered; give a fixed fee as the add-on's price");
            }
            for (Plan plan : catalog.plans()) {
                if (a.availableOnPlan(plan.code()) && charge.code() != null && plan.charge(charge.code()).isPresent()) {
                    problem(CatalogProblem.DUPLICATE_CODE, path + ".charges[" + i + "].code", "charge code '" + charge.code()
                            + "' is also a charge of plan " + plan.code() + ", which this add-on is sold with");
                }
            }
        }
        switch (a.type()) {
            case PACKAGE, BUNDLE -> amounts(path + ".price", a.price(), true);
            case RENTAL -> rental(path + ".rental", a.rental());
        }
    }

    /**
     * What an add-on grants is renewed by its type, not by the grant: a package every calendar month, a bundle once
     * (lapsing per {@code expiry}); a rental grants nothing. A reset saying otherwise would be silently ignored.
     */
    private void grantReset(String path, AddOnType type, Grant g) {
        ResetCadence expected = switch (type) {
            case PACKAGE -> ResetCadence.MONTH;
            case BUNDLE -> ResetCadence.BILLING_PERIOD;
            case RENTAL -> null;
        };
        if (expected == null) {
            problem(CatalogProblem.NOT_SUPPORTED, path, "rental add-ons grant no allowance; use a package or a bundle");
        } else if (g.reset() != null && g.reset() != expected) {
            problem(CatalogProblem.NOT_SUPPORTED, path + ".reset", "a " + type.name().toLowerCase() + "'s grant renews "
                    + (type == AddOnType.PACKAGE ? "every calendar month (reset: month)" : "once per purchase (reset: billing_period)")
                    + "; '" + g.reset().name().toLowerCase() + "' is not supported");
        }
    }

    private void rental(String path, Rental r) {
        if (r == null) {
            problem(CatalogProblem.MISSING_FIELD, path, "a rental add-on needs a rental section");
            return;
        }
        if (r.quota() != null) {
            featureRef(path + ".quota", r.quota(), FeatureType.QUOTA);
        }
        if (r.options().isEmpty()) {
            problem(CatalogProblem.MISSING_FIELD, path + ".options", "a rental needs at least one priced option");
        }
        for (int i = 0; i < r.attributes().size(); i++) {
            // a rented number is described by its country and type only: options on anything else would never match
            if (!RENTED_ITEM_ATTRIBUTES.contains(r.attributes().get(i))) {
                problem(CatalogProblem.NOT_SUPPORTED, path + ".attributes[" + i + "]", "rented numbers have the attributes "
                        + RENTED_ITEM_ATTRIBUTES + "; '" + r.attributes().get(i) + "' is not supported");
            }
        }
        for (int i = 0; i < r.options().size(); i++) {
            RentalOption o = r.options().get(i);
            for (String attr : o.match().keySet()) {
                if (!r.attributes().contains(attr)) {
                    problem(CatalogProblem.UNKNOWN_REFERENCE, path + ".options[" + i + "].match." + attr, "'" + attr + "' is not one of the rental's attributes " + r.attributes());
                }
            }
            amounts(path + ".options[" + i + "].monthly_fee", o.monthlyFee(), true);
            amounts(path + ".options[" + i + "].setup_fee", o.setupFee(), false);
        }
        if (r.firstItemTrialDays() < 0 || r.holdGraceDays() < 0) {
            problem(CatalogProblem.INVALID_VALUE, path, "first_item_trial_days and hold_grace_days cannot be negative");
        }
        for (int i = 0; i < r.regulatoryFees().size(); i++) {
            amounts(path + ".regulatory_fees[" + i + "].monthly_fee", r.regulatoryFees().get(i).monthlyFee(), true);
        }
    }

    /** Amounts keyed by currency: declared currencies only, no negatives; {@code complete} demands every currency. */
    private void amounts(String path, Map<String, BigDecimal> prices, boolean complete) {
        prices.forEach((currency, amount) -> {
            if (!currencies.contains(currency)) {
                problem(knownCurrency(currency) ? CatalogProblem.UNDECLARED_CURRENCY : CatalogProblem.INVALID_CURRENCY, path + "." + currency,
                        knownCurrency(currency) ? currency + " is not among the catalog's currencies " + catalog.currencies()
                                : "'" + currency + "' is not an ISO 4217 currency code");
            }
            if (amount == null || amount.signum() < 0) {
                problem(CatalogProblem.NEGATIVE_AMOUNT, path + "." + currency, "amounts must be zero or more");
            } else {
                bounded(path + "." + currency, amount, MAX_AMOUNT);
            }
        });
        if (complete) {
            for (String currency : currencies) {
                if (!prices.containsKey(currency)) {
                    problem(CatalogProblem.MISSING_PRICE, path, "no " + currency + " amount");
                }
            }
        }
    }

    /**
     * A recurring price is what a period costs, so it is billed as written: no more decimals than the
     * currency's minor unit (USD cents, none for JPY), besides every rule of {@link #amounts}.
     */
    private void recurringAmounts(String path, Map<String, BigDecimal> prices) {
        amounts(path, prices, false);
        prices.forEach((currency, amount) -> {
            if (amount != null && amount.signum() >= 0 && knownCurrency(currency)
                    && amount.stripTrailingZeros().scale() > Money.currency(currency).getDefaultFractionDigits()
                    && amount.stripTrailingZeros().scale() <= MAX_DECIMALS) {
                problem(CatalogProblem.INVALID_AMOUNT, path + "." + currency, currency + " has " + Money.currency(currency).getDefaultFractionDigits()
                        + " minor digits; a recurring price cannot have more, got " + amount.toPlainString());
            }
        });
    }

    private void metricRef(String path, String metric) {
        if (metric == null) {
            problem(CatalogProblem.MISSING_FIELD, path, "metric is required");
        } else if (catalog.metric(metric).isEmpty()) {
            problem(CatalogProblem.UNKNOWN_REFERENCE, path, "No metric '" + metric + "' in this catalog");
        }
    }

    private void featureRef(String path, String code, FeatureType expected) {
        var feature = catalog.feature(code);
        if (feature.isEmpty()) {
            problem(CatalogProblem.UNKNOWN_REFERENCE, path, "No feature '" + code + "' in this catalog");
        } else if (feature.get().type() != null && feature.get().type() != expected) {
            problem(CatalogProblem.WRONG_FEATURE_TYPE, path, "Feature '" + code + "' is a " + feature.get().type().name().toLowerCase()
                    + ", not a " + expected.name().toLowerCase());
        }
    }

    private void positive(String path, BigDecimal value) {
        if (value == null) {
            problem(CatalogProblem.MISSING_FIELD, path, "a positive number is required");
        } else if (value.signum() <= 0) {
            problem(CatalogProblem.INVALID_VALUE, path, "must be greater than zero, got " + value.toPlainString());
        }
    }

    private <T> void uniqueCodes(String path, List<T> items, Function<T, String> code) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String c = code.apply(items.get(i));
            String p = path + "[" + i + "].code";
            if (c == null || c.isBlank()) {
                problem(CatalogProblem.MISSING_FIELD, p, "code is required");
            } else if (!CODE.matcher(c).matches()) {
                problem(CatalogProblem.INVALID_VALUE, p, "code '" + c + "' must be lower-case letters, digits, '_', '.' or '-' (max 64)");
            } else if (!seen.add(c)) {
                problem(CatalogProblem.DUPLICATE_CODE, p, "code '" + c + "' is used twice in " + path);
            }
        }
    }

    private void required(String path, String value) {
        if (value == null || value.isBlank()) {
            problem(CatalogProblem.MISSING_FIELD, path, path.substring(path.lastIndexOf('.') + 1) + " is required");
        }
    }

    private static boolean knownCurrency(String code) {
        try {
            Money.currency(code);
            return true;
        } catch (AccrueException e) {
            return false;
        }
    }

    private void problem(String code, String path, String message) {
        problems.add(new CatalogProblem(code, path, message));
    }
}

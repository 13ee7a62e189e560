package dev.accrue.core.catalog;

import dev.accrue.core.error.AccrueException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An enterprise deal on top of a plan, per customer or subscription: custom recurring prices
 * ({@code prices}: charge code → currency → monthly amount), custom allowances (charge code → allowances),
 * limits and quotas (feature code → value), and contracted usage rates (rate table code → rows that take
 * precedence over the catalog's rows). Applying it to a plan yields the plan the customer is billed on.
 */
public record PlanOverrides(Map<String, Map<String, BigDecimal>> prices, Map<String, List<Allowance>> allowances,
                            Map<String, BigDecimal> limits, Map<String, Long> quotas,
                            Map<String, List<RateRow>> contractedRates, ProgressiveBilling progressiveBilling) {
    public static final PlanOverrides NONE = new PlanOverrides(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    /** Overrides without progressive billing thresholds of their own. */
    public PlanOverrides(Map<String, Map<String, BigDecimal>> prices, Map<String, List<Allowance>> allowances, Map<String, BigDecimal> limits,
                         Map<String, Long> quotas, Map<String, List<RateRow>> contractedRates) {
        this(prices, allowances, limits, quotas, contractedRates, null);
    }

    public PlanOverrides {
        prices = Lists.orEmpty("prices", prices);
        allowances = Lists.orEmpty("allowances", allowances);
        limits = Lists.orEmpty("limits", limits);
        quotas = Lists.orEmpty("quotas", quotas);
        contractedRates = Lists.orEmpty("contracted_rates", contractedRates);
    }

    /** The plan with these overrides applied; an override naming something the plan lacks is an error. */
    public Plan applyTo(Plan plan) {
        if (prices.isEmpty() && allowances.isEmpty() && limits.isEmpty() && quotas.isEmpty() && progressiveBilling == null) {
            return plan; // most subscriptions have no deal: ingestion asks this per subscription of every batch
        }
        prices.keySet().forEach(code -> requireCharge(plan, code, "prices", RecurringCharge.class));
        allowances.keySet().forEach(code -> requireCharge(plan, code, "allowances", MeteredCharge.class));
        List<Charge> charges = new ArrayList<>();
        for (Charge c : plan.charges()) {
            if (c instanceof RecurringCharge r && prices.containsKey(c.code())) {
                Map<String, BigDecimal> negotiated = prices.get(c.code());
                Map<String, BigDecimal> monthly = new LinkedHashMap<>(r.monthlyPrice());
                monthly.putAll(negotiated);
                // Explicit interval prices of the negotiated currencies would win over the deal; drop only those.
                Map<String, Map<String, BigDecimal>> intervals = new LinkedHashMap<>();
                r.intervalPrices().forEach((interval, byCurrency) -> {
                    Map<String, BigDecimal> kept = new LinkedHashMap<>(byCurrency);
                    kept.keySet().removeAll(negotiated.keySet());
                    if (!kept.isEmpty()) {
                        intervals.put(interval, kept);
                    }
                });
                charges.add(new RecurringCharge(r.code(), r.name(), monthly, intervals, r.proration(), r.timing(), r.taxCategory(), r.perUnitQuantity()));
            } else if (c instanceof MeteredCharge m && allowances.containsKey(c.code())) {
                charges.add(m.withAllowances(allowances.get(c.code())));
            } else {
                charges.add(c);
            }
        }
        Map<String, BigDecimal> newLimits = new LinkedHashMap<>(plan.entitlements().limits());
        newLimits.putAll(limits);
        Map<String, Long> newQuotas = new LinkedHashMap<>(plan.entitlements().quotas());
        newQuotas.putAll(quotas);
        Plan applied = plan.withCharges(charges).withEntitlements(new Entitlements(plan.entitlements().features(), newLimits, newQuotas));
        return progressiveBilling == null ? applied : applied.withProgressiveBilling(progressiveBilling);
    }

    /** The rate table with contracted rows first, so they win over catalog rows of equal specificity. */
    public RateTable applyTo(RateTable table) {
        List<RateRow> contracted = contractedRates.get(table.code());
        if (contracted == null) {
            return table;
        }
        List<RateRow> rows = new ArrayList<>(contracted);
        rows.addAll(table.rows());
        return table.withRows(rows);
    }

    private static void requireCharge(Plan plan, String code, String section, Class<? extends Charge> kind) {
        boolean ok = plan.charge(code).map(kind::isInstance).orElse(false);
        if (!ok) {
            throw AccrueException.invalid("overrides." + section + "." + code,
                    "Plan " + plan.code() + " has no " + (kind == RecurringCharge.class ? "recurring" : "metered") + " charge '" + code + "'");
        }
    }
}

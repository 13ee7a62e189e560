package dev.accrue.core.addon;

import dev.accrue.core.catalog.Allowance;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Overage;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.ResetCadence;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds what add-ons grant into a plan for one usage window: each granted quantity is added to the allowance
 * of the plan's metered charge on that metric, so it is consumed after nothing else in particular — allowances
 * are one pool — and the overage starts only when plan allowance and grants are both used. A metric the plan
 * does not meter at all (broadcast email sends) gets a charge of its own that has an allowance and no price:
 * usage beyond it is blocked, never billed.
 */
public final class AddOnAllowances {
    private AddOnAllowances() {
    }

    public static Plan apply(Plan plan, List<GrantedAllowance> grants) {
        if (grants.isEmpty()) {
            return plan;
        }
        Map<String, BigDecimal> byMetric = new LinkedHashMap<>();
        grants.forEach(g -> byMetric.merge(g.metric(), g.quantity(), BigDecimal::add));
        List<Charge> charges = new ArrayList<>();
        for (Charge c : plan.charges()) {
            if (c instanceof MeteredCharge m && byMetric.containsKey(m.metric())) {
                ResetCadence reset = m.allowances().isEmpty() ? ResetCadence.BILLING_PERIOD : m.allowances().getFirst().reset();
                List<Allowance> allowances = new ArrayList<>(m.allowances());
                allowances.add(new Allowance(byMetric.remove(m.metric()), reset));
                charges.add(m.withAllowances(allowances));
            } else {
                charges.add(c);
            }
        }
        byMetric.forEach((metric, quantity) -> charges.add(new MeteredCharge("add_on_" + metric, "Add-on " + metric, metric,
                List.of(new Allowance(quantity, ResetCadence.BILLING_PERIOD)), null, null, new Overage(Overage.OveragePolicy.BLOCK, Map.of()), null,
                null, false, null)));
        return plan.withCharges(charges);
    }

    /**
     * The allowance a package group gives in a month where it changed: the package in force at the end
     * grants its full quantity, and each package it replaced keeps what was used of it while it ran (never more
     * than it granted) — so an upgrade on the 15th gives the full new allowance for the rest of the month.
     */
    public static BigDecimal packageMonth(BigDecimal currentGrant, List<BigDecimal[]> replacedGrantAndUse) {
        BigDecimal total = currentGrant;
        for (BigDecimal[] gu : replacedGrantAndUse) {
            total = total.add(gu[0].min(gu[1].max(BigDecimal.ZERO)));
        }
        return total;
    }
}

package dev.accrue.core.catalog;

import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.time.BillingTiming;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Usage of {@code metric} rated per period: {@code allowances} are consumed first (each resetting on its own
 * cadence), then the rest is priced by {@code pricing} or, when {@code rateTable} is set, at the rate of the
 * usage's dimensions. {@code overage} says whether usage past the allowance is blocked, charged, or charged
 * up to a cap and then blocked. Usage is billed in arrears unless said otherwise, on the subscription's
 * invoices, or on its own {@code invoiceCadence} (pay-as-you-go SMS: weekly, {@code cutAtMonthStart} so no
 * weekly period straddles the 1st). {@code minimumSpend} is a spending minimum per month of the billing period
 * (currency → amount): a closed period whose usage of this charge cost less is topped up to it by a true-up line
 * (see {@code PeriodMinimums}); empty means none.
 */
public record MeteredCharge(String code, String name, String metric, List<Allowance> allowances, Pricing pricing,
                            String rateTable, Overage overage, BillingTiming timing, ResetCadence invoiceCadence,
                            boolean cutAtMonthStart, TaxCategory taxCategory, Map<String, BigDecimal> minimumSpend) implements Charge {
    public MeteredCharge {
        minimumSpend = Lists.orEmpty("minimum_spend", minimumSpend);
        allowances = Lists.orEmpty("allowances", allowances);
        overage = overage == null ? Overage.CHARGE : overage;
        timing = timing == null ? BillingTiming.IN_ARREARS : timing;
        invoiceCadence = invoiceCadence == null ? ResetCadence.BILLING_PERIOD : invoiceCadence;
    }

    /** A charge without a spending minimum. */
    public MeteredCharge(String code, String name, String metric, List<Allowance> allowances, Pricing pricing, String rateTable, Overage overage,
                         BillingTiming timing, ResetCadence invoiceCadence, boolean cutAtMonthStart, TaxCategory taxCategory) {
        this(code, name, metric, allowances, pricing, rateTable, overage, timing, invoiceCadence, cutAtMonthStart, taxCategory, Map.of());
    }

    public MeteredCharge withAllowances(List<Allowance> newAllowances) {
        return new MeteredCharge(code, name, metric, newAllowances, pricing, rateTable, overage, timing, invoiceCadence, cutAtMonthStart, taxCategory, minimumSpend);
    }

    public MeteredCharge withPricing(Pricing newPricing) {
        return new MeteredCharge(code, name, metric, allowances, newPricing, rateTable, overage, timing, invoiceCadence, cutAtMonthStart, taxCategory, minimumSpend);
    }
}

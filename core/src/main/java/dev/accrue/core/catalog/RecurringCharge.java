package dev.accrue.core.catalog;

import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.BillingTiming;
import dev.accrue.core.time.ProrationPolicy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.Optional;

/**
 * A fixed price per period. {@code monthlyPrice} (currency → amount) is the price of one month;
 * {@code intervalPrices} gives explicit prices per interval (interval wire name → currency → amount) that win
 * over the derived ones. {@code proration} says what a partial period costs; {@code timing} whether it is
 * invoiced at the start (in advance) or end (in arrears) of the period. {@code perUnitQuantity} says whether the
 * subscription's quantity (seats) multiplies it (null: yes, as every recurring charge did before the key existed);
 * a platform fee beside per-seat fees says {@code false}.
 */
public record RecurringCharge(String code, String name, Map<String, BigDecimal> monthlyPrice,
                              Map<String, Map<String, BigDecimal>> intervalPrices,
                              ProrationPolicy proration, BillingTiming timing, TaxCategory taxCategory, Boolean perUnitQuantity) implements Charge {
    public RecurringCharge {
        monthlyPrice = Lists.orEmpty("monthly_price", monthlyPrice);
        intervalPrices = Lists.orEmpty("interval_prices", intervalPrices);
        proration = proration == null ? ProrationPolicy.BY_DAY : proration;
        timing = timing == null ? BillingTiming.IN_ADVANCE : timing;
    }

    public RecurringCharge(String code, String name, Map<String, BigDecimal> monthlyPrice, Map<String, Map<String, BigDecimal>> intervalPrices,
                           ProrationPolicy proration, BillingTiming timing, TaxCategory taxCategory) {
        this(code, name, monthlyPrice, intervalPrices, proration, timing, taxCategory, null);
    }

    /** How many times the charge is billed for a subscription of {@code quantity}: the quantity, or once for a fixed charge. */
    public int units(int quantity) {
        return Boolean.FALSE.equals(perUnitQuantity) ? 1 : quantity;
    }

    /**
     * The unrounded price of one full period of {@code option}'s interval in {@code currency}: the explicit
     * interval price if given, else monthly price × months × (1 − discount%).
     */
    public Optional<BigDecimal> periodPrice(IntervalOption option, String currency) {
        Map<String, BigDecimal> explicit = intervalPrices.get(option.interval().wire());
        if (explicit != null && explicit.containsKey(currency)) {
            return Optional.of(explicit.get(currency));
        }
        if (option.interval() == BillingInterval.WEEK || !monthlyPrice.containsKey(currency)) {
            return Optional.empty();
        }
        BigDecimal keep = BigDecimal.ONE.subtract(option.discountPercent().divide(BigDecimal.valueOf(100), MathContext.DECIMAL128));
        return Optional.of(monthlyPrice.get(currency).multiply(BigDecimal.valueOf(option.interval().months())).multiply(keep));
    }
}

package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Allowance;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.CountedCharge;
import dev.accrue.core.catalog.DerivedAllowance;
import dev.accrue.core.catalog.IntervalOption;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.Tier;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.Fraction;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.Proration;
import dev.accrue.core.time.ProrationPolicy;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * Prices a counted charge (contacts) for one period, purely:
 * <ol>
 *   <li>the <b>band</b> is the first tier whose inclusive {@code up_to} is ≥ the count at renewal (the last,
 *       open-ended tier takes the rest); its {@code flat_price} is the band's price for one month;</li>
 *   <li>with {@code minimum_is_last_invoiced} the monthly price is max(band price, last invoiced monthly
 *       price) — it can rise, never drop;</li>
 *   <li>the period price follows the same rule as recurring charges:
 *       monthly × months × (1 − discount%/100) of the plan's interval option;</li>
 *   <li>a stub period (calendar alignment) is prorated by day; the line is rounded once.</li>
 * </ol>
 */
public final class CountedPricing {
    private CountedPricing() {
    }

    /** Band {@code index} (0-based) covering counts [{@code from}, {@code upTo}] (upTo null: no upper bound). */
    public record Band(int index, long from, Long upTo, BigDecimal monthlyPrice) {
        public String label() {
            return upTo == null ? "over " + (from - 1) : from + "–" + upTo;
        }
    }

    /**
     * The price of one period: the {@code band} of {@code count}, the monthly price charged (band price, or the
     * floor when higher), whether the floor applied, and the unrounded price of a full period.
     */
    public record Quote(long count, Band band, BigDecimal monthlyPrice, boolean floored, BigDecimal periodPrice) {
    }

    public static Band band(CountedCharge charge, long count, String currency) {
        if (count < 0) {
            throw new AccrueException(ErrorCode.NEGATIVE_COUNT, "count", "count must be zero or more, got " + count);
        }
        long from = 0;
        List<Tier> tiers = charge.tiers();
        for (int i = 0; i < tiers.size(); i++) {
            Tier t = tiers.get(i);
            if (t.upTo() == null || BigDecimal.valueOf(count).compareTo(t.upTo()) <= 0) {
                BigDecimal price = t.flatPrice().get(currency);
                if (price == null) {
                    throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "currency",
                            "Counted charge " + charge.code() + " has no " + currency + " price for band " + (i + 1));
                }
                return new Band(i, from, t.upTo() == null ? null : t.upTo().longValue(), price);
            }
            from = t.upTo().longValue() + 1;
        }
        throw new AccrueException(ErrorCode.VALIDATION_FAILED, "count", "Counted charge " + charge.code() + " has no band for " + count
                + " (its last tier must be open-ended)");
    }

    /**
     * Quotes a period. {@code lastInvoicedMonthly} is the monthly price invoiced at the previous renewal of
     * this charge on this plan (null if none); it is a floor only when the charge says
     * {@code minimum_is_last_invoiced}.
     */
    public static Quote quote(CountedCharge charge, IntervalOption option, long count, String currency, BigDecimal lastInvoicedMonthly) {
        Band band = band(charge, count, currency);
        BigDecimal monthly = band.monthlyPrice();
        boolean floored = false;
        if (charge.minimumIsLastInvoiced() && lastInvoicedMonthly != null && lastInvoicedMonthly.compareTo(monthly) > 0) {
            monthly = lastInvoicedMonthly;
            floored = true;
        }
        return new Quote(count, band, monthly, floored, periodPrice(monthly, option));
    }

    /** monthly × months × (1 − discount%/100), as {@code RecurringCharge.periodPrice} derives interval prices. */
    public static BigDecimal periodPrice(BigDecimal monthly, IntervalOption option) {
        if (option.interval() == BillingInterval.WEEK) {
            throw new AccrueException(ErrorCode.VALIDATION_FAILED, "interval", "Counted charges are priced per month; a week interval has no price");
        }
        BigDecimal keep = BigDecimal.ONE.subtract(option.discountPercent().divide(BigDecimal.valueOf(100), MathContext.DECIMAL128));
        return monthly.multiply(BigDecimal.valueOf(option.interval().months())).multiply(keep);
    }

    /**
     * The invoice line of a quote for {@code period} ({@code full} is the whole period it belongs to; a shorter
     * stub is prorated by day). The description names the count, the band, and the floor when it applied.
     */
    public static InvoiceLine line(Plan plan, CountedCharge charge, IntervalOption option, Quote q, String unit, Period period, Period full,
                                   Currency currency, RoundingPolicy rounding) {
        Fraction share = Proration.fraction(period, full, ProrationPolicy.BY_DAY);
        Money price = new Money(q.periodPrice(), currency);
        Money amount = rounding.apply(Proration.prorate(price, share));
        String units = unit == null ? "" : " " + unit + (q.count() == 1 ? "" : "s");
        StringBuilder d = new StringBuilder(plan.name()).append(" — ").append(charge.name() == null ? charge.code() : charge.name())
                .append(": ").append(q.count()).append(units).append(", band ").append(q.band().label())
                .append(" at ").append(q.band().monthlyPrice().toPlainString()).append("/month");
        if (q.floored()) {
            d.append("; minimum price: last invoiced ").append(q.monthlyPrice().toPlainString()).append("/month");
        }
        if (option.interval().months() != 1) {
            d.append("; ").append(option.interval().months()).append(" months");
            if (option.discountPercent().signum() != 0) {
                d.append(" less ").append(plain(option.discountPercent())).append("%");
            }
        }
        if (share.numerator() != share.denominator()) {
            d.append(" (").append(share.numerator()).append("/").append(share.denominator()).append(" days)");
        }
        BigDecimal quantity = BigDecimal.valueOf(share.numerator()).divide(BigDecimal.valueOf(share.denominator()), MathContext.DECIMAL64);
        return new InvoiceLine(InvoiceLine.COUNTED, charge.code(), d.toString(), period, quantity, price, amount);
    }

    /**
     * The line of an immediate upgrade for a counted charge: (new plan's band price − the monthly price charged
     * at this period's renewal) scaled to the interval like a period price, × remaining/total days of the period
     * (the change day counts as remaining), rounded once. Null when the upgrade costs nothing for this charge
     * (never a refund).
     */
    public static InvoiceLine upgradeLine(Plan target, CountedCharge charge, IntervalOption option, long count, BigDecimal oldMonthly,
                                          Period remaining, Period full, Currency currency, RoundingPolicy rounding) {
        Band band = band(charge, count, currency.getCurrencyCode());
        BigDecimal difference = periodPrice(band.monthlyPrice(), option).subtract(periodPrice(oldMonthly, option));
        if (difference.signum() <= 0) {
            return null;
        }
        Fraction share = Proration.fraction(remaining, full, ProrationPolicy.BY_DAY);
        Money unit = new Money(difference, currency);
        Money amount = rounding.apply(Proration.prorate(unit, share));
        String description = "Upgrade to " + target.name() + " — " + (charge.name() == null ? charge.code() : charge.name()) + ": " + count
                + ", band " + band.label() + " at " + band.monthlyPrice().toPlainString() + "/month instead of " + oldMonthly.toPlainString()
                + "/month (" + share.numerator() + "/" + share.denominator() + " days)";
        BigDecimal quantity = BigDecimal.valueOf(share.numerator()).divide(BigDecimal.valueOf(share.denominator()), MathContext.DECIMAL64);
        return new InvoiceLine(InvoiceLine.PRORATION, charge.code(), description, remaining, quantity, unit, amount);
    }

    /**
     * The plan with each counted charge's derived allowances added to the metered charges of their metric:
     * {@code per_unit × count} per {@code reset} window, where {@code counts} maps a counted charge's code to
     * the count fixed at the renewal that opened the period (a charge missing from the map derives nothing).
     */
    public static Plan withDerivedAllowances(Plan plan, Map<String, Long> counts) {
        List<Allowance> extra = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        for (Charge c : plan.charges()) {
            if (c instanceof CountedCharge k && counts.containsKey(k.code())) {
                for (DerivedAllowance d : k.derivedAllowances()) {
                    extra.add(new Allowance(d.perUnit().multiply(BigDecimal.valueOf(counts.get(k.code()))), d.reset()));
                    metrics.add(d.metric());
                }
            }
        }
        if (extra.isEmpty()) {
            return plan;
        }
        List<Charge> charges = new ArrayList<>();
        for (Charge c : plan.charges()) {
            if (c instanceof MeteredCharge m && metrics.contains(m.metric())) {
                List<Allowance> allowances = new ArrayList<>(m.allowances());
                for (int i = 0; i < extra.size(); i++) {
                    if (metrics.get(i).equals(m.metric())) {
                        allowances.add(extra.get(i));
                    }
                }
                charges.add(m.withAllowances(allowances));
            } else {
                charges.add(c);
            }
        }
        return plan.withCharges(charges);
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}

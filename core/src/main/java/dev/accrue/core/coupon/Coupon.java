package dev.accrue.core.coupon;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A coupon: {@code percentOff} (0 < p ≤ 100) or {@code amountOff} (a fixed amount in one currency) off the lines it
 * applies to — all charge lines, or only those of {@code charges} — for {@code duration}: {@code once} (one invoice),
 * {@code repeating} ({@code durationPeriods} invoices) or {@code forever}. {@code plans}, when not empty, are the
 * plans a subscription must be on to redeem it; {@code expiresOn} the last day it can be redeemed;
 * {@code maxRedemptions} how many subscriptions or customers may redeem it; {@code archived} stops new redemptions
 * (running ones go on).
 */
public record Coupon(String id, String code, String name, BigDecimal percentOff, Money amountOff, String duration, Integer durationPeriods,
                     List<String> plans, List<String> charges, LocalDate expiresOn, Integer maxRedemptions, int redemptions, boolean archived) {
    public static final String ONCE = "once";
    public static final String REPEATING = "repeating";
    public static final String FOREVER = "forever";

    /** How many invoices a redemption discounts; null for ever. */
    public Integer invoices() {
        return switch (duration) {
            case ONCE -> 1;
            case REPEATING -> durationPeriods;
            default -> null;
        };
    }

    /** Whether the coupon still discounts after {@code appliedSoFar} invoices. */
    public boolean activeAfter(int appliedSoFar) {
        Integer n = invoices();
        return n == null || appliedSoFar < n;
    }

    /**
     * The discount on {@code lines}, before tax and before customer credit: the eligible lines are the positive charge
     * lines (not credit or prepaid lines) of the coupon's charges (all when none are named); a percentage is rounded
     * once with {@code rounding}, a fixed amount never exceeds the eligible sum. So a 100 % coupon on every charge
     * leaves exactly 0.00 and a discount never makes an invoice negative.
     */
    public Money discountOn(List<InvoiceLine> lines, RoundingPolicy rounding) {
        Money eligible = null;
        for (InvoiceLine l : lines) {
            if (eligible == null) {
                eligible = Money.zero(l.amount().currency());
            }
            boolean charge = !InvoiceLine.CREDIT.equals(l.kind()) && !InvoiceLine.PREPAID.equals(l.kind()) && !InvoiceLine.DISCOUNT.equals(l.kind());
            if (charge && l.amount().isPositive() && (charges.isEmpty() || charges.contains(l.chargeCode()))) {
                eligible = eligible.plus(l.amount());
            }
        }
        if (eligible == null || !eligible.isPositive()) {
            return eligible;
        }
        Money off = percentOff != null
                ? rounding.apply(eligible.times(percentOff.movePointLeft(2)))
                : amountOff;
        return off.compareTo(eligible) > 0 ? eligible : off;
    }

    /** "SUMMER20: 20% off" / "WELCOME: 10.00 USD off", the start of the discount line's description. */
    public String label() {
        String off = percentOff != null ? percentOff.stripTrailingZeros().toPlainString() + "% off"
                : amountOff.toPlainMinorString() + " " + amountOff.currency().getCurrencyCode() + " off";
        return "Coupon " + code + " (" + name + "): " + off + (charges.isEmpty() ? "" : " " + String.join(", ", charges));
    }
}

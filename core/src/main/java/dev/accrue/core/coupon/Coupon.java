package dev.accrue.core.coupon;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Allocation;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
    /** Lines no coupon discounts: payments (customer credit, prepaid), taxes and other discounts. */
    private static final Set<String> NOT_DISCOUNTED = Set.of(InvoiceLine.CREDIT, InvoiceLine.PREPAID, InvoiceLine.DISCOUNT, InvoiceLine.TAX,
            InvoiceLine.TAX_INCLUDED);

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
     * The discount on {@code lines}, before tax and before customer credit: the sum of {@link #parts} with nothing
     * discounted yet and no cap.
     */
    public Money discountOn(List<InvoiceLine> lines, RoundingPolicy rounding) {
        if (lines.isEmpty()) {
            return null;
        }
        List<Money> parts = parts(lines, lines.stream().map(InvoiceLine::amount).toList(), null, rounding);
        return parts.stream().reduce(Money.zero(lines.getFirst().amount().currency()), Money::plus);
    }

    /**
     * The discount on {@code lines} as the part taken off each of them — the one rule of what a coupon discounts, so
     * that tax can lower each discounted line's own rate ("discounts before tax").
     *
     * <p>The eligible lines are the positive charge lines (not taxes, credit, prepaid or discount lines) of the coupon's
     * charges (all when none are named) with something left to discount: {@code left} is, per line, what earlier coupons
     * left of it. A percentage of their sum is rounded once with {@code rounding}; a fixed amount never exceeds it; and
     * neither exceeds {@code cap} (what the invoice still owes; null for none). The discount is then split over the
     * eligible lines by largest remainder on what is left of each, so the parts add up exactly to it and none exceeds
     * its line's rest: a 100 % coupon takes every eligible line to exactly 0.00 and no line is ever discounted below
     * zero, whatever coupons came before.
     */
    public List<Money> parts(List<InvoiceLine> lines, List<Money> left, Money cap, RoundingPolicy rounding) {
        if (left.size() != lines.size()) {
            throw new IllegalArgumentException("left has " + left.size() + " amounts for " + lines.size() + " lines");
        }
        List<Money> parts = new ArrayList<>(lines.size());
        List<Integer> eligible = new ArrayList<>();
        Money sum = null;
        for (int i = 0; i < lines.size(); i++) {
            InvoiceLine l = lines.get(i);
            Money zero = Money.zero(l.amount().currency());
            sum = sum == null ? zero : sum;
            parts.add(zero);
            if (discountable(l) && left.get(i).isPositive()) {
                eligible.add(i);
                sum = sum.plus(left.get(i));
            }
        }
        if (eligible.isEmpty()) {
            return parts;
        }
        Money off = percentOff != null ? rounding.apply(sum.times(percentOff.movePointLeft(2))) : amountOff;
        off = off.compareTo(sum) > 0 ? sum : off;
        off = cap != null && off.compareTo(cap) > 0 ? cap : off;
        if (!off.isPositive()) {
            return parts;
        }
        List<Money> split = Allocation.largestRemainder(off, eligible.stream().map(i -> left.get(i).amount()).toList());
        for (int k = 0; k < eligible.size(); k++) {
            parts.set(eligible.get(k), split.get(k));
        }
        return parts;
    }

    /** Whether the coupon applies to {@code line}: a positive charge line of one of its charges (of any when none are named). */
    public boolean discountable(InvoiceLine line) {
        boolean charge = !NOT_DISCOUNTED.contains(line.kind());
        return charge && line.amount().isPositive() && (charges.isEmpty() || charges.contains(line.chargeCode()));
    }

    /** "SUMMER20: 20% off" / "WELCOME: 10.00 USD off", the start of the discount line's description. */
    public String label() {
        String off = percentOff != null ? percentOff.stripTrailingZeros().toPlainString() + "% off"
                : amountOff.toPlainMinorString() + " " + amountOff.currency().getCurrencyCode() + " off";
        return "Coupon " + code + " (" + name + "): " + off + (charges.isEmpty() ? "" : " " + String.join(", ", charges));
    }
}

package dev.accrue.app.coupon;

import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.core.coupon.Coupon;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceTotals;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The discount step of invoice issuance: called once per new invoice, inside its transaction, before tax and before
 * customer credit. Each coupon the subscription or the customer redeemed that still runs ({@link Coupon#activeAfter})
 * adds a negative {@code discount} line computed on the charge lines ({@link Coupon#discountOn}), and counts one
 * more invoice on its redemption. Coupons apply in redemption order; each is capped at what the invoice still owes
 * after the previous ones, so discounts never take an invoice below zero.
 */
public final class InvoiceDiscounts {
    private final CouponRepository coupons;
    private final SubscriptionRepository subscriptions;

    public InvoiceDiscounts(CouponRepository coupons, SubscriptionRepository subscriptions) {
        this.coupons = coupons;
        this.subscriptions = subscriptions;
    }

    /**
     * {@code lines} with the discount lines appended (the same list when none applies). A coupon the customer
     * redeemed (not one subscription) discounts any of their invoices; when it is limited to plans, only invoices of
     * a subscription on one of them — checked here, at each invoice, since the customer's plans change.
     */
    public List<InvoiceLine> apply(String tenantId, String customerId, String subscriptionId, List<InvoiceLine> lines, Period period,
                                   Supplier<RoundingPolicy> rounding) {
        if (lines.isEmpty()) {
            return lines;
        }
        List<InvoiceLine> out = lines;
        String plan = null;
        for (CouponRepository.Active a : coupons.redemptionsFor(tenantId, customerId, subscriptionId)) {
            if (!a.coupon().activeAfter(a.applied())) {
                continue;
            }
            if (a.subscriptionId() == null && !a.coupon().plans().isEmpty()) {
                if (plan == null && subscriptionId != null) {
                    plan = subscriptions.find(tenantId, subscriptionId).map(s -> s.planCode()).orElse("");
                }
                if (plan == null || !a.coupon().plans().contains(plan)) {
                    continue;
                }
            }
            Money off = a.coupon().discountOn(out, rounding.get());
            Money owed = InvoiceTotals.subtotal(off == null ? lines.getFirst().amount().currency() : off.currency(), out);
            if (off == null || !off.isPositive() || !owed.isPositive()) {
                continue;
            }
            off = off.compareTo(owed) > 0 ? owed : off;
            out = new ArrayList<>(out);
            out.add(new InvoiceLine(InvoiceLine.DISCOUNT, null, a.coupon().label(), period, BigDecimal.ONE, off.negate(), off.negate()));
            coupons.applied(tenantId, a.redemptionId());
        }
        return out;
    }
}

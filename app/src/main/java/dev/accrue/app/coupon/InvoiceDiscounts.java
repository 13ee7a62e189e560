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
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The discount step of invoice issuance: called once per new invoice, inside its transaction, before tax and before
 * customer credit. Each coupon the subscription or the customer redeemed that still runs ({@link Coupon#activeAfter})
 * takes its discount off the lines it applies to ({@link Coupon#parts}: a part per line, largest remainder) and adds
 * negative {@code discount} lines carrying the charge codes they took from, so tax lowers the rate of each line it
 * discounted; it counts one more invoice on its redemption. Coupons apply in redemption order; each discounts what the
 * previous ones left of each line and is capped at what the invoice still owes, so discounts never take a line or an
 * invoice below zero.
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
    public List<InvoiceLine> apply(String tenantId, String customerId, String subscriptionId, String billingKey, List<InvoiceLine> lines,
                                   Period period, Supplier<RoundingPolicy> rounding) {
        if (lines.isEmpty()) {
            return lines;
        }
        List<InvoiceLine> out = lines;
        Currency currency = lines.getFirst().amount().currency();
        // what each line can still be discounted after the coupons before
        List<Money> left = new ArrayList<>(lines.stream().map(InvoiceLine::amount).toList());
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
            Money owed = InvoiceTotals.subtotal(currency, out);
            if (!owed.isPositive()) {
                continue;
            }
            List<Money> parts = a.coupon().parts(lines, left, owed, rounding.get());
            // one discount line per charge code it took from: tax files each under the rate of the charge it discounted,
            // and DocumentTaxes folds them into one line per coupon and rate
            Map<String, Money> byCharge = new LinkedHashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                if (parts.get(i).isPositive()) {
                    byCharge.merge(lines.get(i).chargeCode(), parts.get(i), Money::plus); // a null code is a key too
                    left.set(i, left.get(i).minus(parts.get(i)));
                }
            }
            if (byCharge.isEmpty()) {
                continue;
            }
            out = new ArrayList<>(out);
            for (var e : byCharge.entrySet()) {
                Money off = e.getValue().negate();
                out.add(new InvoiceLine(InvoiceLine.DISCOUNT, e.getKey(), a.coupon().label(), period, BigDecimal.ONE, off, off));
            }
            coupons.applied(tenantId, a.redemptionId(), billingKey);
        }
        return out;
    }

    /** A draft about to be priced again: what its document counted on redemptions is withdrawn, so coupons apply to it afresh, once. */
    public void withdraw(String tenantId, String billingKey) {
        coupons.withdraw(tenantId, billingKey);
    }
}

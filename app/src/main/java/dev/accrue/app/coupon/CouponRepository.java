package dev.accrue.app.coupon;

import dev.accrue.app.page.PageRequest;
import dev.accrue.core.coupon.Coupon;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface CouponRepository {
    /** False (nothing written) when the tenant already has a coupon with this code. */
    boolean insert(String tenantId, Coupon coupon, Instant at);

    Optional<Coupon> find(String tenantId, String code);

    /** Counts one more redemption unless the coupon's limit is reached (then false, nothing changed). */
    boolean countRedemption(String tenantId, String couponId);

    /**
     * False (nothing written) when the subscription — or, with {@code subscriptionId} null, the customer — already
     * redeemed this coupon.
     */
    boolean redeem(String tenantId, String id, String couponId, String customerId, String subscriptionId, Instant at);

    /** {@code subscriptionId} null for a redemption by the customer, which discounts all their invoices. */
    record Active(String redemptionId, String subscriptionId, Coupon coupon, int applied) {
    }

    /**
     * What may discount an invoice of the customer for the subscription (null for one of no subscription): the
     * subscription's redemptions and the customer's own, oldest first, their rows locked until the transaction ends.
     */
    List<Active> redemptionsFor(String tenantId, String customerId, String subscriptionId);

    /** The tenant's coupons newest first, archived ones only when asked; {@code limit + 1} rows. */
    List<Coupon> list(String tenantId, boolean includeArchived, PageRequest page);

    /** Archives the coupon; false when it was already archived. */
    boolean archive(String tenantId, String couponId, Instant at);

    /**
     * Records that the redemption discounted the document of {@code billingKey}: one more invoice, counted once per
     * document however often it is priced.
     */
    void applied(String tenantId, String redemptionId, String billingKey);

    /** Withdraws what the document of {@code billingKey} counted on its redemptions (a draft about to be priced again). */
    void withdraw(String tenantId, String billingKey);
}

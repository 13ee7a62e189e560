package dev.accrue.app.coupon;

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

    /** False (nothing written) when the subscription already redeemed this coupon. */
    boolean redeem(String tenantId, String id, String couponId, String customerId, String subscriptionId, Instant at);

    record Active(String redemptionId, Coupon coupon, int applied) {
    }

    /** The subscription's redemptions, oldest first, their rows locked until the transaction ends. */
    List<Active> redemptionsOf(String tenantId, String subscriptionId);

    /** Records that the redemption discounted one more invoice. */
    void applied(String tenantId, String redemptionId);
}

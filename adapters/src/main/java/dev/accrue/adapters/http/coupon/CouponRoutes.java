package dev.accrue.adapters.http.coupon;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.coupon.CouponService;
import dev.accrue.core.coupon.Coupon;
import io.javalin.config.RoutesConfig;

import java.time.LocalDate;
import java.util.List;

/**
 * /v1/coupons: define, list and archive coupons; /v1/subscriptions/{id}/coupons and /v1/customers/{id}/coupons: redeem one
 * for a subscription's, or all of a customer's, next invoices.
 */
public final class CouponRoutes {
    private final CouponService coupons;
    private final Idempotency idempotency;

    public CouponRoutes(CouponService coupons, Idempotency idempotency) {
        this.coupons = coupons;
        this.idempotency = idempotency;
    }

    record CouponView(String id, String object, String code, String name, String percentOff, String amountOff, String currency, String duration,
                      Integer durationPeriods, List<String> plans, List<String> charges, LocalDate expiresOn, Integer maxRedemptions, int redemptions,
                      boolean archived) {
        static CouponView of(Coupon c) {
            return new CouponView(c.id(), "coupon", c.code(), c.name(), c.percentOff() == null ? null : c.percentOff().toPlainString(),
                    c.amountOff() == null ? null : c.amountOff().toPlainMinorString(),
                    c.amountOff() == null ? null : c.amountOff().currency().getCurrencyCode(), c.duration(), c.durationPeriods(), c.plans(),
                    c.charges(), c.expiresOn(), c.maxRedemptions(), c.redemptions(), c.archived());
        }
    }

    record RedemptionView(String id, String object, String customerId, String subscriptionId, CouponView coupon) {
        static RedemptionView of(CouponService.Redemption r) {
            return new RedemptionView(r.id(), "coupon_redemption", r.customerId(), r.subscriptionId(), CouponView.of(r.coupon()));
        }
    }

    record RedeemBody(String coupon) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/coupons", ctx -> {
            CouponService.NewCoupon body = Requests.body(ctx, CouponService.NewCoupon.class);
            idempotency.create(ctx, 201, () -> CouponView.of(coupons.create(Requests.caller(ctx), body)));
        });
        app.get("/v1/coupons", ctx -> Responses.list(ctx, coupons.list(Requests.caller(ctx), Requests.flag(ctx, "include_archived"),
                Requests.page(ctx)).map(CouponView::of), CouponView::id));
        app.get("/v1/coupons/{code}", ctx -> Responses.json(ctx, 200, CouponView.of(coupons.get(Requests.caller(ctx), ctx.pathParam("code")))));
        app.post("/v1/coupons/{code}/archive", ctx -> Responses.json(ctx, 200,
                CouponView.of(coupons.archive(Requests.caller(ctx), ctx.pathParam("code")))));
        app.post("/v1/subscriptions/{id}/coupons", ctx -> {
            RedeemBody body = Requests.body(ctx, RedeemBody.class);
            idempotency.create(ctx, 201, () -> RedemptionView.of(coupons.redeem(Requests.caller(ctx), ctx.pathParam("id"), body.coupon())));
        });
        app.post("/v1/customers/{id}/coupons", ctx -> {
            RedeemBody body = Requests.body(ctx, RedeemBody.class);
            idempotency.create(ctx, 201, () -> RedemptionView.of(coupons.redeemForCustomer(Requests.caller(ctx), ctx.pathParam("id"), body.coupon())));
        });
    }
}

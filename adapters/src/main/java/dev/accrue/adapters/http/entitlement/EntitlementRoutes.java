package dev.accrue.adapters.http.entitlement;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.entitlement.Entitlement;
import dev.accrue.app.entitlement.EntitlementService;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;

/** /v1/customers/{id}/entitlements/{feature}: feature gating — is it in the current plan, and if not, the cheapest plan with it. */
public final class EntitlementRoutes {
    private final EntitlementService entitlements;

    public EntitlementRoutes(EntitlementService entitlements) {
        this.entitlements = entitlements;
    }

    record PlanView(String code, String name, String product, int tier, Boolean value, BigDecimal limit) {
    }

    record EntitlementView(String object, String customerId, String feature, String type, long atLeast, boolean included, Boolean value,
                           BigDecimal limit, String subscriptionId, String plan, PlanView cheapestPlan) {
        static EntitlementView of(Entitlement e) {
            var u = e.upgrade();
            return new EntitlementView("entitlement", e.customerId(), e.feature(), e.type(), e.atLeast(), e.included(), e.value(), e.limit(),
                    e.subscriptionId(), e.plan(), u == null ? null : new PlanView(u.code(), u.name(), u.product(), u.tier(), u.value(), u.limit()));
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/customers/{id}/entitlements/{feature}", ctx -> {
            String text = ctx.queryParam("at_least");
            Long atLeast = null;
            if (text != null) {
                try {
                    atLeast = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new AccrueException(ErrorCode.WRONG_TYPE, "at_least", "at_least must be an integer, got '" + text + "'");
                }
            }
            Responses.json(ctx, 200, EntitlementView.of(entitlements.check(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("feature"), atLeast)));
        });
    }
}

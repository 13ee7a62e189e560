package dev.accrue.app.entitlement;

import java.math.BigDecimal;

/**
 * Whether a customer's current plan includes a feature. {@code type} is the feature's type (boolean, limit,
 * quota); {@code included} whether the plan grants it (a true boolean feature, or a limit/quota of at least
 * {@code atLeast}); {@code value} the plan's boolean value (boolean features, false when absent) and
 * {@code limit} its limit or quota (null when the plan grants none). When not included, {@code upgrade} is the
 * cheapest plan that does (lowest tier of the product; null when no plan does).
 */
public record Entitlement(String customerId, String feature, String type, long atLeast, boolean included, Boolean value, BigDecimal limit,
                          String subscriptionId, String plan, PlanRef upgrade) {

    /** A plan that grants the feature, with its value or limit. */
    public record PlanRef(String code, String name, String product, int tier, Boolean value, BigDecimal limit) {
    }
}

package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a plan grants besides its charges: boolean {@code features}, numeric {@code limits}
 * (concurrent_calls: 5) and {@code quotas} of active items (ai_employees: 3). Keys are feature codes.
 */
public record Entitlements(Map<String, Boolean> features, Map<String, BigDecimal> limits, Map<String, Long> quotas) {
    public static final Entitlements NONE = new Entitlements(Map.of(), Map.of(), Map.of());

    public Entitlements {
        features = Lists.orEmpty("features", features);
        limits = Lists.orEmpty("limits", limits);
        quotas = Lists.orEmpty("quotas", quotas);
    }

    public boolean grants(String feature, long atLeast) {
        if (Boolean.TRUE.equals(features.get(feature))) {
            return true;
        }
        BigDecimal limit = limits.get(feature);
        if (limit != null && limit.compareTo(BigDecimal.valueOf(atLeast)) >= 0) {
            return true;
        }
        Long quota = quotas.get(feature);
        return quota != null && quota >= atLeast;
    }
}

package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What happens past the allowance: BLOCK (usage refused, nothing charged), CHARGE (priced without limit), or
 * CHARGE_UP_TO_CAP (priced until the period's overage amount reaches {@code cap}, then blocked).
 */
public record Overage(OveragePolicy policy, Map<String, BigDecimal> cap) {
    public static final Overage CHARGE = new Overage(OveragePolicy.CHARGE, Map.of());

    public Overage {
        cap = Lists.orEmpty("cap", cap);
    }

    public enum OveragePolicy { BLOCK, CHARGE, CHARGE_UP_TO_CAP }
}

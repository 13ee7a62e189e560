package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.List;

/**
 * A plan's usage alert thresholds for one metric (catalog key {@code plans[].usage_alerts}): {@code percents} of
 * the allowance window's included quantity (1–1000) and absolute {@code amounts} in the metric's unit (> 0).
 * Each threshold fires once per allowance window. A plan that lists none for a metered metric gets
 * {@code core/alert/Thresholds.DEFAULT_PERCENTS}; an empty {@code percents} list turns the defaults off.
 */
public record UsageAlertSpec(String metric, List<BigDecimal> percents, List<BigDecimal> amounts) {
    public UsageAlertSpec {
        percents = percents == null ? null : Lists.orEmpty("percents", percents);
        amounts = Lists.orEmpty("amounts", amounts);
    }
}

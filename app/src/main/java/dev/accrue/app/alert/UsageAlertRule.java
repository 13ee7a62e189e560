package dev.accrue.app.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Thresholds a customer set on a metric for itself ({@code userEmail} null) or for one of its users: percentages
 * of the allowance and absolute amounts. They fire besides the plan's, each audience on its own.
 */
public record UsageAlertRule(String id, String customerId, String userEmail, String metric, List<BigDecimal> percents, List<BigDecimal> amounts,
                             Instant createdAt) {
    public UsageAlertRule {
        percents = List.copyOf(percents);
        amounts = List.copyOf(amounts);
    }
}

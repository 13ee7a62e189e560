package dev.accrue.core.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A validated event ready to store: its {@code quantity} in the metric's unit (1 for count metrics), the
 * {@code day} it falls on in the customer's time zone (usage is aggregated per day, so any window —
 * billing period, allowance reset, history — is a sum of days), its {@code dimensionKey} (the metric's
 * group-by values, e.g. {@code country=FR|direction=outbound}) and whether the metric's filters count it.
 */
public record MeteredEvent(String eventId, String customerId, String subscriptionId, String metric, Instant occurredAt,
                           LocalDate day, BigDecimal quantity, String dimensionKey, boolean counted, Map<String, Object> properties) {
}

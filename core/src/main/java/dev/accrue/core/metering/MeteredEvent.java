package dev.accrue.core.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A validated event ready to store: its {@code quantity} in the metric's unit (1 for count metrics), the
 * {@code day} it falls on in the customer's time zone (usage is aggregated per day, so any window —
 * billing period, allowance reset, history — is a sum of days), its {@code dimensionKey} (the metric's
 * group-by values, e.g. {@code country=FR|direction=outbound}), whether the metric's filters count it, and
 * whether it is {@code late}: for a period already invoiced. {@code uniqueValue} is the identity a
 * unique-count metric counts (null for other metrics). {@code keepValue}: the day keeps this event's own value beside the
 * sums (usage_values), because a charge on its metric prices each transaction on its own (a fee with a per-transaction
 * minimum or maximum). {@code unitOp}: for a PERSISTENT metric, {@code add} or {@code remove} of the unit named by
 * {@code uniqueValue} (null otherwise).
 */
public record MeteredEvent(String eventId, String customerId, String subscriptionId, String metric, Instant occurredAt,
                           LocalDate day, BigDecimal quantity, String dimensionKey, boolean counted, Map<String, Object> properties,
                           boolean late, String uniqueValue, boolean keepValue, String unitOp) {

    public MeteredEvent(String eventId, String customerId, String subscriptionId, String metric, Instant occurredAt, LocalDate day,
                        BigDecimal quantity, String dimensionKey, boolean counted, Map<String, Object> properties, boolean late, String uniqueValue) {
        this(eventId, customerId, subscriptionId, metric, occurredAt, day, quantity, dimensionKey, counted, properties, late, uniqueValue, false, null);
    }

    /** Marks the event as arriving for a period already invoiced: the next invoice bills it as an adjustment. */
    public MeteredEvent asLate() {
        return new MeteredEvent(eventId, customerId, subscriptionId, metric, occurredAt, day, quantity, dimensionKey, counted, properties, true,
                uniqueValue, keepValue, unitOp);
    }

    /** Marks the event as one whose own value the day keeps (see the class comment). */
    public MeteredEvent keepingValue() {
        return new MeteredEvent(eventId, customerId, subscriptionId, metric, occurredAt, day, quantity, dimensionKey, counted, properties, late,
                uniqueValue, true, unitOp);
    }
}

package dev.accrue.core.metering;

import java.util.Map;

/**
 * A usage event as a client sent it. {@code eventId} is the client's id, unique per tenant (a retry with the
 * same id is a duplicate, never counted twice). {@code timestamp} is an ISO-8601 instant. {@code properties}
 * carry the measured value (e.g. duration_seconds) and the dimensions (direction, country …).
 */
public record RawEvent(String eventId, String customerId, String metric, String timestamp, Map<String, Object> properties) {
}

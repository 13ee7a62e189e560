package dev.accrue.app.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened to a billing object, as the tenant's systems hear about it: {@code type} is one of
 * {@link EventTypes}, {@code objectType}/{@code objectId} name the object (events about one object are
 * delivered in the order they were recorded), {@code customerId} the customer it concerns (null for
 * tenant-wide events), {@code data} a JSON-ready snapshot of the object (strings, numbers as BigDecimal or
 * plain decimal strings, booleans, nested maps and lists).
 */
public record DomainEvent(String id, String type, String objectType, String objectId, String customerId, Map<String, Object> data,
                          Instant occurredAt) {
    public DomainEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}

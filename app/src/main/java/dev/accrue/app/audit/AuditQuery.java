package dev.accrue.app.audit;

import java.time.Instant;

/**
 * Filters of the tenant-wide audit feed; every one optional and combined with AND. {@code from} is inclusive,
 * {@code to} exclusive ({@code occurred_at} in [from, to)).
 */
public record AuditQuery(String objectId, String objectType, String actor, Instant from, Instant to) {
}

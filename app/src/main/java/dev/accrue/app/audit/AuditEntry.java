package dev.accrue.app.audit;

import java.time.Instant;

/** One recorded change: who ({@code actor}), what ({@code action} on an object), when, and the JSON before/after. */
public record AuditEntry(String id, String objectType, String objectId, String action, String actor,
                         Instant occurredAt, String beforeJson, String afterJson) {
}

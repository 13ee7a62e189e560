package dev.accrue.app.console;

import java.time.Instant;

/** A member of a tenant's staff; {@code deactivatedAt} set = can no longer sign in (kept for the audit trail). */
public record StaffUser(String tenantId, String id, String email, String name, StaffRole role, Instant createdAt, Instant deactivatedAt) {
    public boolean active() {
        return deactivatedAt == null;
    }
}

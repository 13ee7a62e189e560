package dev.accrue.app.console;

import java.time.Instant;

public record StaffUser(String tenantId, String id, String email, String name, StaffRole role, Instant createdAt) {
}

package dev.accrue.app.tenant;

import dev.accrue.core.tenant.TenantMode;

import java.time.Instant;

/** A business that bills its customers with Accrue. Every other row belongs to exactly one tenant. */
public record Tenant(String id, String name, TenantMode mode, Instant createdAt, TenantSettings settings) {
}

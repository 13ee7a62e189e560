package dev.accrue.app.portal;

import java.time.Instant;

/** A one-time entry to the portal for one user of one customer. */
public record PortalLink(String tenantId, String id, String customerId, String email, PortalRole role, String returnUrl, String locale,
                         Instant expiresAt) {
}

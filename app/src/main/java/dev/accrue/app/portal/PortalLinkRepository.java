package dev.accrue.app.portal;

import java.time.Instant;
import java.util.Optional;

public interface PortalLinkRepository {
    void insert(String tenantId, PortalLink link, byte[] tokenHash, String createdBy, Instant createdAt);

    /**
     * Marks the link of {@code tokenHash} used, if it is unused and unexpired at {@code now}, and returns it; one
     * conditional UPDATE, so two browsers racing with the same link cannot both get in.
     */
    Optional<PortalLink> consume(byte[] tokenHash, Instant now);

    /**
     * The language of the link of {@code tokenHash} whatever its state (used, expired): only so that the page
     * refusing it speaks the language the link was issued in. Empty for an unknown token or a link without one.
     */
    Optional<String> localeOf(byte[] tokenHash);
}

package dev.accrue.app.webhook;

import java.time.Instant;
import java.util.List;

/**
 * Where a tenant's systems hear about billing events. {@code secret} signs every delivery; after a rotation
 * {@code previousSecret} also signs until {@code previousSecretExpiresAt} (the overlap), so receivers can switch
 * secrets without dropping a delivery. {@code failingSince}/{@code consecutiveFailures} measure the current run
 * of failures (reset by a success); {@code disabledReason} says why an endpoint is off when Accrue turned it off.
 */
public record WebhookEndpoint(String id, String url, String description, List<String> eventTypes, boolean enabled, String disabledReason,
                              String secret, String previousSecret, Instant previousSecretExpiresAt, Instant failingSince, int consecutiveFailures,
                              Instant createdAt, Instant updatedAt) {
    public WebhookEndpoint {
        eventTypes = List.copyOf(eventTypes);
    }

    /** The secrets that sign at {@code now}: the current one, and the previous one while its overlap lasts. */
    public List<String> signingSecrets(Instant now) {
        return previousSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)
                ? List.of(secret, previousSecret) : List.of(secret);
    }

    public boolean subscribesTo(String type) {
        return eventTypes.contains(type);
    }
}

package dev.accrue.app.webhook;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A tenant's webhook endpoints: created with a URL that passes {@link WebhookUrls} and the event types it wants
 * (each one of {@link EventTypes}), changed, deleted, its secret rotated with an overlap; its deliveries read and
 * replayed. Every input is checked before anything is written, so a refused request changes nothing.
 */
public final class WebhookEndpointService {
    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    static final Duration MAX_OVERLAP = Duration.ofDays(7);
    private final Transactions tx;
    private final WebhookRepository repo;
    private final WebhookUrls urls;
    private final AuditLog audit;
    private final Clock clock;

    public WebhookEndpointService(Transactions tx, WebhookRepository repo, WebhookUrls urls, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.repo = repo;
        this.urls = urls;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code secret} null: Accrue generates one. */
    public record NewEndpoint(String url, List<String> eventTypes, String description, Boolean enabled, String secret) {
    }

    /** Only the fields given change. */
    public record EndpointChange(String url, List<String> eventTypes, String description, Boolean enabled) {
    }

    /** An endpoint with one delivery's attempts, for the delivery log. */
    public record DeliveryLog(WebhookDelivery delivery, List<WebhookDelivery.Attempt> attempts) {
    }

    public WebhookEndpoint create(Caller caller, NewEndpoint n) {
        caller.requireWrite();
        List<String> types = eventTypes(n.eventTypes()); // before the URL: its check asks DNS
        String url = checkedUrl(n.url());
        String secret = n.secret() == null ? WebhookSecrets.generate() : n.secret();
        WebhookSecrets.key("secret", secret);
        Instant now = clock.instant();
        var endpoint = new WebhookEndpoint(Ids.next("whe"), url, n.description(), types, n.enabled() == null || n.enabled(), null, secret, null, null,
                null, 0, now, now);
        return tx.inTransaction(() -> {
            repo.insert(caller.tenantId(), endpoint);
            audit.record(caller, "webhook_endpoint", endpoint.id(), "webhook_endpoint.created", null, auditView(endpoint));
            return endpoint;
        });
    }

    public WebhookEndpoint update(Caller caller, String id, EndpointChange c) {
        caller.requireWrite();
        List<String> types = c.eventTypes() == null ? null : eventTypes(c.eventTypes());
        String url = c.url() == null ? null : checkedUrl(c.url());
        return tx.inTransaction(() -> {
            WebhookEndpoint before = repo.lock(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("webhook_endpoint", id));
            boolean enabled = c.enabled() == null ? before.enabled() : c.enabled();
            // turning an endpoint back on starts a fresh failure run: the old one is what disabled it
            boolean reenabled = enabled && !before.enabled();
            var after = new WebhookEndpoint(id, url == null ? before.url() : url, c.description() == null ? before.description() : c.description(),
                    types == null ? before.eventTypes() : types, enabled, enabled ? null : before.disabledReason(), before.secret(), before.previousSecret(), before.previousSecretExpiresAt(),
                    reenabled ? null : before.failingSince(), reenabled ? 0 : before.consecutiveFailures(), before.createdAt(), clock.instant());
            repo.update(caller.tenantId(), after);
            audit.record(caller, "webhook_endpoint", id, "webhook_endpoint.updated", auditView(before), auditView(after));
            return after;
        });
    }

    public void delete(Caller caller, String id) {
        caller.requireWrite();
        tx.run(() -> {
            WebhookEndpoint before = repo.lock(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("webhook_endpoint", id));
            repo.delete(caller.tenantId(), id, clock.instant());
            audit.record(caller, "webhook_endpoint", id, "webhook_endpoint.deleted", auditView(before), null);
        });
    }

    public WebhookEndpoint get(Caller caller, String id) {
        return tx.inTransaction(() -> repo.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("webhook_endpoint", id));
    }

    public Page<WebhookEndpoint> list(Caller caller, PageRequest page) {
        return tx.inTransaction(() -> repo.list(caller.tenantId(), page));
    }

    /**
     * Replaces the signing secret ({@code secret} null: a new random one). The old secret keeps signing beside the
     * new one for {@code overlap} (default 24 hours, at most 7 days, 0 to stop at once), so every delivery in that
     * window carries both signatures and receivers can switch without a failed check.
     */
    public WebhookEndpoint rotateSecret(Caller caller, String id, String secret, Duration overlap) {
        caller.requireWrite();
        String next = secret == null ? WebhookSecrets.generate() : secret;
        WebhookSecrets.key("secret", next);
        Duration window = overlap == null ? DEFAULT_OVERLAP : overlap;
        if (window.isNegative() || window.compareTo(MAX_OVERLAP) > 0) {
            throw AccrueException.invalid("overlap_hours", "overlap_hours is 0 to " + MAX_OVERLAP.toHours());
        }
        return tx.inTransaction(() -> {
            WebhookEndpoint e = repo.lock(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("webhook_endpoint", id));
            Instant now = clock.instant();
            var rotated = new WebhookEndpoint(id, e.url(), e.description(), e.eventTypes(), e.enabled(), e.disabledReason(), next,
                    window.isZero() ? null : e.secret(), window.isZero() ? null : now.plus(window), e.failingSince(), e.consecutiveFailures(),
                    e.createdAt(), now);
            repo.update(caller.tenantId(), rotated);
            audit.record(caller, "webhook_endpoint", id, "webhook_endpoint.secret_rotated", null, Map.of("overlap_hours", window.toHours()));
            return rotated;
        });
    }

    public Page<WebhookDelivery> deliveries(Caller caller, String endpointId, String status, PageRequest page) {
        if (status != null && !List.of(WebhookDelivery.PENDING, WebhookDelivery.DELIVERED, WebhookDelivery.FAILED).contains(status)) {
            throw AccrueException.invalid("status", "status is pending, delivered or failed");
        }
        return tx.inTransaction(() -> {
            get(caller, endpointId);
            return repo.deliveries(caller.tenantId(), endpointId, status, page);
        });
    }

    public DeliveryLog delivery(Caller caller, String deliveryId) {
        return tx.inTransaction(() -> {
            WebhookDelivery d = repo.findDelivery(caller.tenantId(), deliveryId).orElseThrow(() -> AccrueException.notFound("webhook_delivery", deliveryId));
            return new DeliveryLog(d, repo.attempts(caller.tenantId(), deliveryId));
        });
    }

    /** Sends one delivery again (as soon as the dispatcher runs), whatever its status, with the same webhook-id. */
    public WebhookDelivery replay(Caller caller, String deliveryId) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            repo.findDelivery(caller.tenantId(), deliveryId).orElseThrow(() -> AccrueException.notFound("webhook_delivery", deliveryId));
            repo.replay(caller.tenantId(), deliveryId, clock.instant());
            audit.record(caller, "webhook_delivery", deliveryId, "webhook_delivery.replayed", null, null);
            return repo.findDelivery(caller.tenantId(), deliveryId).orElseThrow();
        });
    }

    /** Sends again every failed delivery of the endpoint created at or after {@code since}; how many. */
    public int replayFailed(Caller caller, String endpointId, Instant since) {
        caller.requireWrite();
        if (since == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "since", "since (a timestamp) says from when failed deliveries are sent again");
        }
        return tx.inTransaction(() -> {
            get(caller, endpointId);
            int n = repo.replayFailed(caller.tenantId(), endpointId, since, clock.instant());
            audit.record(caller, "webhook_endpoint", endpointId, "webhook_endpoint.replayed", null, Map.of("since", since.toString(), "deliveries", n));
            return n;
        });
    }

    private String checkedUrl(String url) {
        if (url == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "url", "url is required");
        }
        return urls.check(url).uri().toString();
    }

    private static List<String> eventTypes(List<String> given) {
        if (given == null || given.isEmpty()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "event_types", "event_types lists at least one event type");
        }
        for (String t : given) {
            if (!EventTypes.known(t)) {
                throw new AccrueException(ErrorCode.UNKNOWN_EVENT_TYPE, "event_types",
                        "Unknown event type '" + t + "'; the types are listed in docs/webhooks.md");
            }
        }
        return List.copyOf(new LinkedHashSet<>(given));
    }

    private static Map<String, Object> auditView(WebhookEndpoint e) {
        return Map.of("url", e.url(), "event_types", e.eventTypes(), "enabled", e.enabled());
    }
}

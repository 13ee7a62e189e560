package dev.accrue.app.webhook;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends due webhook deliveries. Three steps, never holding a transaction across the network: claim (one short
 * transaction, SKIP LOCKED, each claimed delivery leased for {@link #LEASE}), send (in parallel, outside any
 * transaction, to the addresses {@link WebhookUrls} checks again now — DNS may have changed since the endpoint was
 * created), record (one short transaction per delivery: the attempt in the log, the delivery's new state, the
 * endpoint's failure run). A dispatcher that dies after sending and before recording leaves its deliveries leased;
 * when the lease ends they are sent again with the same {@code webhook-id}: delivery is at least once, and a
 * receiver folds the duplicate by that id.
 *
 * <p>Order per object: only the oldest undelivered event of an object is ever claimed for an endpoint, so a failing
 * delivery holds back the later events of that object to that endpoint (not other objects, not other endpoints)
 * until it succeeds or is given up after {@link WebhookRetrySchedule#MAX_ATTEMPTS} attempts.
 */
public final class WebhookDispatcher {
    static final Duration LEASE = Duration.ofMinutes(2);
    static final int MAX_LOGGED_BODY = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private final Transactions tx;
    private final WebhookRepository repo;
    private final WebhookUrls urls;
    private final WebhookSender sender;
    private final DomainEvents events;
    private final AuditLog audit;
    private final WebhookSettings settings;
    private final Clock clock;

    public WebhookDispatcher(Transactions tx, WebhookRepository repo, WebhookUrls urls, WebhookSender sender, DomainEvents events, AuditLog audit,
                             WebhookSettings settings, Clock clock) {
        this.tx = tx;
        this.repo = repo;
        this.urls = urls;
        this.sender = sender;
        this.events = events;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** Sends up to {@code limit} due deliveries; returns how many succeeded. */
    public int dispatch(int limit) {
        if (tx.inProgress()) {
            throw new IllegalStateException("Webhooks are never sent inside a database transaction");
        }
        Instant now = clock.instant();
        List<WebhookRepository.Claimed> claimed = tx.inTransaction(() -> repo.claimDue(now, now.plus(LEASE), limit));
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Future<Boolean>> sent = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var c : claimed) {
                sent.add(pool.submit(() -> deliver(c)));
            }
        }
        int succeeded = 0;
        for (Future<Boolean> f : sent) {
            try {
                succeeded += f.get() ? 1 : 0;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return succeeded;
            }
        }
        return succeeded;
    }

    private boolean deliver(WebhookRepository.Claimed c) {
        WebhookDelivery d = c.delivery();
        WebhookEndpoint endpoint = c.endpoint();
        int attempt = d.attempts() + 1;
        Instant at = clock.instant();
        long started = System.nanoTime();
        WebhookSender.Response response = null;
        String error = null;
        try {
            WebhookUrls.Target target = urls.check(endpoint.url());
            long timestamp = at.getEpochSecond();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", d.eventId());
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", WebhookSignature.header(endpoint.signingSecrets(at), d.eventId(), timestamp, d.payload()));
            headers.put("content-type", "application/json");
            response = sender.post(target, headers, d.payload());
            if (!response.succeeded()) {
                error = "HTTP " + response.statusCode();
            }
        } catch (AccrueException e) {
            error = e.code().wire() + ": " + e.getMessage(); // the address is refused now (DNS changed since the endpoint was made)
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        WebhookSender.Response r = response;
        String failure = error;
        tx.run(() -> record(c.tenantId(), d, endpoint.id(), attempt, at, millis, r, failure));
        return failure == null;
    }

    private void record(String tenantId, WebhookDelivery d, String endpointId, int attempt, Instant at, long millis, WebhookSender.Response r,
                        String error) {
        Integer status = r == null ? null : r.statusCode();
        repo.recordAttempt(tenantId, d.id(), new WebhookDelivery.Attempt(attempt, at, error == null ? "succeeded" : "failed", status, millis,
                r == null ? null : truncate(r.body()), error == null ? null : truncate(error)));
        WebhookEndpoint endpoint = repo.lock(tenantId, endpointId).orElseThrow();
        if (error == null) {
            repo.markDelivered(tenantId, d.id(), attempt, status, at);
            if (endpoint.consecutiveFailures() > 0) {
                repo.update(tenantId, withFailures(endpoint, null, 0, endpoint.enabled(), endpoint.disabledReason(), at));
            }
            return;
        }
        Optional<Duration> retry = WebhookRetrySchedule.delayAfter(attempt);
        LOG.info("Webhook delivery {} to {} failed (attempt {}{}): {}", d.id(), endpointId, attempt, retry.isEmpty() ? ", giving up" : "", error);
        repo.markFailedAttempt(tenantId, d.id(), attempt, status, truncate(error), retry.isEmpty(), at.plus(retry.orElse(Duration.ZERO)));
        Instant since = endpoint.failingSince() == null ? at : endpoint.failingSince();
        int failures = endpoint.consecutiveFailures() + 1;
        boolean disable = endpoint.enabled() && failures >= settings.disableAfterFailures() && !since.plus(settings.disableAfter()).isAfter(at);
        String reason = disable ? "Every delivery failed for " + Duration.between(since, at).toHours() + " hours (" + failures
                + " attempts in a row); last error: " + truncate(error) : endpoint.disabledReason();
        repo.update(tenantId, withFailures(endpoint, since, failures, endpoint.enabled() && !disable, reason, at));
        if (disable) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("url", endpoint.url());
            data.put("reason", reason);
            data.put("failing_since", since.toString());
            data.put("consecutive_failures", failures);
            events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.WEBHOOK_ENDPOINT_DISABLED, "webhook_endpoint", endpointId, null, data, at));
            audit.record(Caller.system(tenantId), "webhook_endpoint", endpointId, "webhook_endpoint.disabled", null, data);
            LOG.warn("Webhook endpoint {} of tenant {} disabled: {}", endpointId, tenantId, reason);
        }
    }

    private static WebhookEndpoint withFailures(WebhookEndpoint e, Instant since, int failures, boolean enabled, String reason, Instant at) {
        return new WebhookEndpoint(e.id(), e.url(), e.description(), e.eventTypes(), enabled, enabled ? null : reason, e.secret(), e.previousSecret(),
                e.previousSecretExpiresAt(), since, failures, e.createdAt(), at);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_LOGGED_BODY ? s : s.substring(0, MAX_LOGGED_BODY) + "…";
    }
}

package dev.accrue.app.webhook;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Endpoints, their deliveries and the delivery log. */
public interface WebhookRepository {
    void insert(String tenantId, WebhookEndpoint endpoint);

    void update(String tenantId, WebhookEndpoint endpoint);

    /** Marks the endpoint deleted (its deliveries and log stay readable); false when there was none. */
    boolean delete(String tenantId, String id, Instant at);

    Optional<WebhookEndpoint> find(String tenantId, String id);

    /** Locks the endpoint row for the caller's transaction (a delivery's outcome updates its failure run). */
    Optional<WebhookEndpoint> lock(String tenantId, String id);

    Page<WebhookEndpoint> list(String tenantId, PageRequest page);

    /** The tenant's enabled and disabled (not deleted) endpoints subscribed to {@code type}. */
    List<WebhookEndpoint> subscribedTo(String tenantId, String type);

    /** Inserts unless the endpoint already has a delivery of this event; true when inserted. */
    boolean insertDelivery(String tenantId, WebhookDelivery delivery, long positionTx, long positionSequence);

    /**
     * Claims due pending deliveries of enabled endpoints (SKIP LOCKED), at most one per endpoint and object and only
     * when no earlier delivery of that object to that endpoint is still pending, by pushing their next attempt to
     * {@code leaseUntil}: the lease keeps other dispatchers off while this one sends outside any transaction, and a
     * dispatcher that dies mid-send leaves a delivery that becomes due again when the lease ends.
     */
    List<Claimed> claimDue(Instant now, Instant leaseUntil, int limit);

    void recordAttempt(String tenantId, String deliveryId, WebhookDelivery.Attempt attempt);

    void markDelivered(String tenantId, String deliveryId, int attempts, int statusCode, Instant at);

    void markFailedAttempt(String tenantId, String deliveryId, int attempts, Integer statusCode, String error, boolean giveUp, Instant nextAttemptAt);

    Optional<WebhookDelivery> findDelivery(String tenantId, String id);

    Page<WebhookDelivery> deliveries(String tenantId, String endpointId, String status, PageRequest page);

    List<WebhookDelivery.Attempt> attempts(String tenantId, String deliveryId);

    /** Makes a delivery pending and due at {@code now} again; false when it was pending already. */
    boolean replay(String tenantId, String deliveryId, Instant now);

    /** Makes every failed delivery of the endpoint created at or after {@code since} pending and due now; how many. */
    int replayFailed(String tenantId, String endpointId, Instant since, Instant now);

    record Claimed(String tenantId, WebhookDelivery delivery, WebhookEndpoint endpoint) {
    }
}

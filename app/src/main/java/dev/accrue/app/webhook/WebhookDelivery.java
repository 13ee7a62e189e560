package dev.accrue.app.webhook;

import java.time.Instant;

/**
 * One event to one endpoint. {@code eventId} is the {@code webhook-id} of every attempt (a receiver folds
 * duplicates by it); {@code payload} is the exact body, fixed when the delivery is created so retries and replays
 * send the same bytes. Status: {@link #PENDING} (due at {@code nextAttemptAt}), {@link #DELIVERED}, {@link #FAILED}.
 */
public record WebhookDelivery(String id, String endpointId, String eventId, String eventType, String objectId, String payload, String status,
                              int attempts, Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant deliveredAt, Instant createdAt) {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    /** One attempt in the delivery log: outcome {@code succeeded} or {@code failed}, the response (body truncated). */
    public record Attempt(int attempt, Instant at, String outcome, Integer statusCode, long durationMillis, String responseBody, String error) {
    }
}

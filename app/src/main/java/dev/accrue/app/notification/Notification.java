package dev.accrue.app.notification;

import java.time.Instant;

/**
 * An in-app notification: to a customer as a whole ({@code recipient} empty), to one of its users ({@code recipient}
 * the user's email), or to the tenant itself ({@code customerId} null: an endpoint disabled). Unread while
 * {@code readAt} is null.
 */
public record Notification(String id, String customerId, String recipient, String eventId, String eventType, String title, String body,
                           Instant createdAt, Instant readAt) {
}

package dev.accrue.app.notification;

/**
 * Which channels an event type reaches, for a customer ({@code userEmail} empty) or one of its users. {@code explicit}
 * false: nobody chose, these are the defaults ({@link NotificationDefaults}).
 */
public record ChannelPreference(String eventType, boolean email, boolean inApp, boolean explicit) {
}

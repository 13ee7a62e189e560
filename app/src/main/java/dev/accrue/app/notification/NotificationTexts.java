package dev.accrue.app.notification;

import dev.accrue.app.event.DomainEvent;

import java.util.List;

/** Words for events, from the notification templates: a title and body for the app, and emails (single and digest). */
public interface NotificationTexts {
    Text text(DomainEvent event);

    Email email(DomainEvent event);

    Email digest(List<Text> items);

    record Text(String eventType, String title, String body) {
    }

    record Email(String subject, String text, String html) {
    }
}

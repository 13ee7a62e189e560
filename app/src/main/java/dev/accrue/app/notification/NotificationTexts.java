package dev.accrue.app.notification;

import dev.accrue.app.event.DomainEvent;

import java.util.List;
import java.util.Locale;

/**
 * Words for events, from the notification templates: a title and body for the app, and emails (single and digest),
 * in the customer's language ({@code locale}; a language without templates gets English).
 */
public interface NotificationTexts {
    Text text(DomainEvent event, Locale locale);

    Email email(DomainEvent event, Locale locale);

    Email digest(List<Text> items, Locale locale);

    default Text text(DomainEvent event) {
        return text(event, Locale.ENGLISH);
    }

    default Email email(DomainEvent event) {
        return email(event, Locale.ENGLISH);
    }

    record Text(String eventType, String title, String body) {
    }

    record Email(String subject, String text, String html) {
    }
}

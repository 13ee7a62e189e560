package dev.accrue.adapters.notification;

import dev.accrue.adapters.pdf.Templates;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.notification.NotificationTexts;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Notification words from the Pebble templates under templates/notification: a title per event type (title.peb),
 * the event's details, and plain-text and HTML emails (single and digest) — the same engine and escaping as the
 * document emails.
 */
public final class TemplateNotificationTexts implements NotificationTexts {
    private final Templates templates;

    public TemplateNotificationTexts(Templates templates) {
        this.templates = templates;
    }

    @Override
    public Text text(DomainEvent e) {
        Map<String, Object> context = context(e);
        return new Text(e.type(), (String) context.get("title"), (String) context.get("details"));
    }

    @Override
    public Email email(DomainEvent e) {
        Map<String, Object> context = context(e);
        return new Email((String) context.get("title"), templates.text("notification/email.txt.peb", context),
                templates.html("notification/email.html.peb", context));
    }

    @Override
    public Email digest(List<Text> items) {
        Map<String, Object> context = Map.of("items", items);
        return new Email(items.size() + " notifications since the last email", templates.text("notification/digest.txt.peb", context),
                templates.html("notification/digest.html.peb", context));
    }

    private Map<String, Object> context(DomainEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", e.objectId());
        data.putAll(e.data());
        Map<String, Object> context = new HashMap<>();
        context.put("type", e.type());
        context.put("data", data);
        context.put("title", templates.text("notification/title.peb", context).strip());
        context.put("details", templates.text("notification/details.txt.peb", context));
        return context;
    }
}

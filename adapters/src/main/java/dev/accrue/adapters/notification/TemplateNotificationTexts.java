package dev.accrue.adapters.notification;

import dev.accrue.adapters.pdf.Templates;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.notification.NotificationTexts;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Notification words from the Pebble templates under templates/notification: a title per event type (title.peb),
 * the event's details, and plain-text and HTML emails (single and digest) — the same engine and escaping as the
 * document emails — in English, or in German (notification/de/) for a customer whose notification language is German.
 */
public final class TemplateNotificationTexts implements NotificationTexts {
    private static final String ENGLISH = "notification/";
    private static final String GERMAN = "notification/de/";
    private final Templates templates;

    public TemplateNotificationTexts(Templates templates) {
        this.templates = templates;
    }

    @Override
    public Text text(DomainEvent e, Locale locale) {
        Map<String, Object> context = context(e, folder(locale));
        return new Text(e.type(), (String) context.get("title"), (String) context.get("details"));
    }

    @Override
    public Email email(DomainEvent e, Locale locale) {
        String folder = folder(locale);
        Map<String, Object> context = context(e, folder);
        return new Email((String) context.get("title"), templates.text(folder + "email.txt.peb", context),
                templates.html(folder + "email.html.peb", context));
    }

    @Override
    public Email digest(List<Text> items, Locale locale) {
        String folder = folder(locale);
        Map<String, Object> context = Map.of("items", items);
        String subject = GERMAN.equals(folder) ? items.size() + " Benachrichtigungen seit der letzten E-Mail"
                : items.size() + " notifications since the last email";
        return new Email(subject, templates.text(folder + "digest.txt.peb", context), templates.html(folder + "digest.html.peb", context));
    }

    /** The templates of the locale's language: German under notification/de/, every other language English. */
    private static String folder(Locale locale) {
        return locale != null && "de".equals(locale.getLanguage()) ? GERMAN : ENGLISH;
    }

    private Map<String, Object> context(DomainEvent e, String folder) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", e.objectId());
        data.putAll(e.data());
        Map<String, Object> context = new HashMap<>();
        context.put("type", e.type());
        context.put("data", data);
        context.put("title", templates.text(folder + "title.peb", context).strip());
        context.put("details", templates.text("notification/details.txt.peb", context));
        return context;
    }
}

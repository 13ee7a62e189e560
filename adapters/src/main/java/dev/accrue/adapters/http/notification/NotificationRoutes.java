package dev.accrue.adapters.http.notification;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.notification.ChannelPreference;
import dev.accrue.app.notification.Notification;
import dev.accrue.app.notification.NotificationRepository;
import dev.accrue.app.notification.NotificationService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * In-app notifications for the portal (a customer's, or one customer user's by {@code user_email}; the tenant's
 * own at /v1/notifications), channel preferences per event type, and the tenant's reminder notice settings.
 */
public final class NotificationRoutes {
    private final NotificationService notifications;

    public NotificationRoutes(NotificationService notifications) {
        this.notifications = notifications;
    }

    record NotificationView(String id, String object, String customerId, String userEmail, String eventId, String eventType, String title, String body,
                            boolean read, Instant readAt, Instant createdAt) {
        static NotificationView of(Notification n) {
            return new NotificationView(n.id(), "notification", n.customerId(), n.recipient().isEmpty() ? null : n.recipient(), n.eventId(),
                    n.eventType(), n.title(), n.body(), n.readAt() != null, n.readAt(), n.createdAt());
        }
    }

    record FeedView(String object, List<NotificationView> data, boolean hasMore, String nextCursor, int unreadCount) {
    }

    record ReadAllBody(String userEmail) {
    }

    record PreferenceView(String eventType, boolean email, boolean inApp, boolean chosen) {
    }

    record PreferencesView(String object, String customerId, String userEmail, List<PreferenceView> preferences, String locale) {
    }

    record PreferenceBody(String eventType, Boolean email, Boolean inApp) {
    }

    /** {@code locale}: the customer's notification language; absent = unchanged, "" = back to English. */
    record PreferencesBody(String userEmail, List<PreferenceBody> preferences, String locale) {
    }

    record SettingsView(String object, int renewalNoticeDays, int trialNoticeDays) {
        static SettingsView of(NotificationRepository.Settings s) {
            return new SettingsView("notification_settings", s.renewalNoticeDays(), s.trialNoticeDays());
        }
    }

    record SettingsBody(Integer renewalNoticeDays, Integer trialNoticeDays) {
    }

    public void register(RoutesConfig app) {
        app.get("/v1/customers/{id}/notifications", ctx -> feed(ctx, ctx.pathParam("id")));
        app.get("/v1/notifications", ctx -> feed(ctx, null));
        app.post("/v1/customers/{id}/notifications/read_all", ctx -> {
            ReadAllBody b = Requests.body(ctx, ReadAllBody.class);
            int n = notifications.markAllRead(Requests.caller(ctx), ctx.pathParam("id"), b.userEmail());
            Responses.json(ctx, 200, Map.of("object", "notification_read_all", "marked", n));
        });
        app.post("/v1/customers/{id}/notifications/{notification_id}/read", ctx -> {
            notifications.markRead(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("notification_id"));
            Responses.json(ctx, 200, Map.of("id", ctx.pathParam("notification_id"), "object", "notification", "read", true));
        });
        app.get("/v1/customers/{id}/notification_preferences", ctx -> preferences(ctx,
                notifications.preferences(Requests.caller(ctx), ctx.pathParam("id"), ctx.queryParam("user_email")), ctx.queryParam("user_email"),
                notifications.locale(Requests.caller(ctx), ctx.pathParam("id"))));
        app.put("/v1/customers/{id}/notification_preferences", ctx -> {
            PreferencesBody b = Requests.body(ctx, PreferencesBody.class);
            List<ChannelPreference> given = b.preferences() == null ? null : b.preferences().stream()
                    .map(p -> new ChannelPreference(p.eventType(), Boolean.TRUE.equals(p.email()), Boolean.TRUE.equals(p.inApp()), true)).toList();
            var saved = notifications.setPreferences(Requests.caller(ctx), ctx.pathParam("id"), b.userEmail(), given, b.locale() != null, b.locale());
            preferences(ctx, saved, b.userEmail(), notifications.locale(Requests.caller(ctx), ctx.pathParam("id")));
        });
        app.get("/v1/notification_settings", ctx -> Responses.json(ctx, 200, SettingsView.of(notifications.settings(Requests.caller(ctx)))));
        app.put("/v1/notification_settings", ctx -> {
            SettingsBody b = Requests.body(ctx, SettingsBody.class);
            Responses.json(ctx, 200, SettingsView.of(notifications.setSettings(Requests.caller(ctx), b.renewalNoticeDays(), b.trialNoticeDays())));
        });
    }

    private void feed(Context ctx, String customerId) {
        boolean unread = "true".equals(ctx.queryParam("unread"));
        var feed = notifications.list(Requests.caller(ctx), customerId, ctx.queryParam("user_email"), unread, Requests.page(ctx));
        var page = feed.page();
        String next = page.hasMore() && !page.items().isEmpty() ? Requests.encodeCursor(page.items().getLast().id()) : null;
        Responses.json(ctx, 200, new FeedView("list", page.items().stream().map(NotificationView::of).toList(), page.hasMore(), next, feed.unreadCount()));
    }

    private static void preferences(Context ctx, List<ChannelPreference> all, String userEmail, String locale) {
        Responses.json(ctx, 200, new PreferencesView("notification_preferences", ctx.pathParam("id"),
                userEmail == null || userEmail.isBlank() ? null : userEmail.strip().toLowerCase(Locale.ROOT),
                all.stream().map(p -> new PreferenceView(p.eventType(), p.email(), p.inApp(), p.explicit())).toList(), locale));
    }
}

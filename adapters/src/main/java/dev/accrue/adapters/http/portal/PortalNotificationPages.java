package dev.accrue.adapters.http.portal;

import dev.accrue.app.alert.UsageAlertRule;
import dev.accrue.app.alert.UsageAlertService;
import dev.accrue.app.notification.ChannelPreference;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.web.WebSession;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.Subscription;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Portal admin page of the signed-in user's notifications: the in-app feed (theirs and the customer's), marking
 * read, the user's own usage alert thresholds, and which channels each kind of event reaches them on. Another
 * user's notification or threshold answers like an unknown one.
 */
public final class PortalNotificationPages {
    private static final String PAGE = "/portal/notifications";
    /** The API's refusals of a threshold the page explains by code (a bad number, a metric not billed, one rule per metric). */
    private static final Set<ErrorCode> SHOWN = EnumSet.of(ErrorCode.VALIDATION_FAILED, ErrorCode.MISSING_FIELD, ErrorCode.UNKNOWN_METRIC,
            ErrorCode.ALREADY_EXISTS);
    private final Portal portal;

    public PortalNotificationPages(Portal portal) {
        this.portal = portal;
    }

    public void register(RoutesConfig app) {
        var area = portal.area();
        // members see their notifications and mark them read (their own read state); thresholds and channels are admin-only
        area.get(app, PAGE, Portal.ANY_USER, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            String customerId = scope.customer().id();
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("feed", portal.uc().notifications().list(scope.caller(), customerId, session.email(), false, PageRequest.first(50)).page().items());
            if (Portal.ADMIN.test(session)) {
                page.put("rules", rules(scope, session));
                page.put("metrics", metrics(scope));
                page.put("preferences", portal.uc().notifications().preferences(scope.caller(), customerId, session.email()));
            }
            String refused = ctx.queryParam("refused");
            if (SHOWN.stream().anyMatch(c -> c.wire().equals(refused))) {
                page.put("refused", "refused." + refused);
            }
            portal.render(ctx, session, scope, "notifications", page);
        });
        area.post(app, PAGE + "/{id}/read", Portal.ANY_USER, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            portal.uc().notifications().markRead(scope.readStateCaller(), scope.customer().id(), session.email(), ctx.pathParam("id"));
            ctx.redirect(PAGE + "?notice=notification_read");
        });
        area.post(app, PAGE + "/read_all", Portal.ANY_USER, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            portal.uc().notifications().markAllRead(scope.readStateCaller(), scope.customer().id(), session.email());
            ctx.redirect(PAGE + "?notice=notifications_read");
        });
        area.post(app, PAGE + "/alerts", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            String metric = Portal.field(ctx, "metric", 100);
            List<BigDecimal> percents = numbers(ctx, "percents");
            List<BigDecimal> amounts = numbers(ctx, "amounts");
            try {
                portal.uc().usageAlerts().create(scope.caller(), scope.customer().id(), new UsageAlertService.NewRule(metric, session.email(), percents, amounts));
                ctx.redirect(PAGE + "?notice=alert_added");
            } catch (AccrueException e) {
                if (!SHOWN.contains(e.code())) {
                    throw e;
                }
                ctx.redirect(PAGE + "?refused=" + e.code().wire());
            }
        });
        area.post(app, PAGE + "/alerts/{id}/remove", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            String id = ctx.pathParam("id");
            // only the user's own thresholds: the customer's and other users' rules answer like unknown ones
            if (rules(scope, session).stream().noneMatch(r -> r.id().equals(id))) {
                throw AccrueException.notFound("usage_alert_rule", id);
            }
            portal.uc().usageAlerts().delete(scope.caller(), scope.customer().id(), id);
            ctx.redirect(PAGE + "?notice=alert_removed");
        });
        area.post(app, PAGE + "/channels", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            List<ChannelPreference> chosen = new ArrayList<>();
            for (ChannelPreference p : portal.uc().notifications().preferences(scope.caller(), scope.customer().id(), session.email())) {
                chosen.add(new ChannelPreference(p.eventType(), "on".equals(ctx.formParam("email:" + p.eventType())),
                        "on".equals(ctx.formParam("in_app:" + p.eventType())), true));
            }
            portal.uc().notifications().setPreferences(scope.caller(), scope.customer().id(), session.email(), chosen);
            ctx.redirect(PAGE + "?notice=channels_saved");
        });
    }

    private List<UsageAlertRule> rules(PortalScope scope, WebSession session) {
        return portal.uc().usageAlerts().list(scope.caller(), scope.customer().id()).stream()
                .filter(r -> session.email().equalsIgnoreCase(r.userEmail())).toList();
    }

    /** The metrics of the customer's subscriptions' catalogs: the only ones a threshold can watch. */
    private List<Metric> metrics(PortalScope scope) {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (Subscription sub : scope.subscriptions()) {
            for (Metric m : portal.uc().catalogs().catalog(scope.caller().tenantId(), sub.catalogVersion()).metrics()) {
                metrics.putIfAbsent(m.code(), m);
            }
        }
        return List.copyOf(metrics.values());
    }

    /** "50, 80, 100" as numbers; empty is none. */
    private static List<BigDecimal> numbers(Context ctx, String field) {
        String text = ctx.formParam(field);
        if (text == null || text.isBlank()) {
            return List.of();
        }
        if (text.length() > 200) {
            throw AccrueException.invalid(field, field + " is at most 200 characters");
        }
        List<BigDecimal> values = new ArrayList<>();
        for (String part : text.split("[,;\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                values.add(new BigDecimal(part));
            } catch (NumberFormatException e) {
                throw AccrueException.invalid(field, field + " lists numbers such as 50, 80, 100");
            }
        }
        return values;
    }
}

package dev.accrue.adapters.http.alert;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.alert.FiredAlert;
import dev.accrue.app.alert.UsageAlertRule;
import dev.accrue.app.alert.UsageAlertService;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** /v1/customers/{id}/usage_alerts: thresholds a customer sets for itself and its users; /v1/customers/{id}/alerts: what fired. */
public final class AlertRoutes {
    private final UsageAlertService alerts;
    private final Idempotency idempotency;

    public AlertRoutes(UsageAlertService alerts, Idempotency idempotency) {
        this.alerts = alerts;
        this.idempotency = idempotency;
    }

    record RuleView(String id, String object, String customerId, String userEmail, String metric, List<String> percents, List<String> amounts,
                    Instant createdAt) {
        static RuleView of(UsageAlertRule r) {
            return new RuleView(r.id(), "usage_alert_rule", r.customerId(), r.userEmail(), r.metric(), plain(r.percents()), plain(r.amounts()),
                    r.createdAt());
        }
    }

    record FiredView(String id, String object, String customerId, String kind, String subject, LocalDate windowStart, LocalDate windowEnd,
                     String audience, String threshold, String eventId, Map<String, Object> data, Instant firedAt) {
        static FiredView of(FiredAlert a) {
            return new FiredView(a.id(), "alert", a.customerId(), a.kind(), a.subject(), a.windowStart(), a.windowEnd(), a.audience(), a.threshold(),
                    a.eventId(), a.data(), a.firedAt());
        }
    }

    private static List<String> plain(List<BigDecimal> values) {
        return values.stream().map(BigDecimal::toPlainString).toList();
    }

    public void register(RoutesConfig app) {
        app.post("/v1/customers/{id}/usage_alerts", ctx -> {
            UsageAlertService.NewRule body = Requests.body(ctx, UsageAlertService.NewRule.class);
            idempotency.create(ctx, 201, () -> RuleView.of(alerts.create(Requests.caller(ctx), ctx.pathParam("id"), body)));
        });
        app.get("/v1/customers/{id}/usage_alerts", ctx -> Responses.listAll(ctx, alerts.list(Requests.caller(ctx), ctx.pathParam("id")),
                UsageAlertRule::id, RuleView::of));
        app.delete("/v1/customers/{id}/usage_alerts/{rule}", ctx -> {
            alerts.delete(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("rule"));
            Responses.json(ctx, 200, Map.of("id", ctx.pathParam("rule"), "object", "usage_alert_rule", "deleted", true));
        });
        app.get("/v1/customers/{id}/alerts", ctx -> {
            String limit = ctx.queryParam("limit");
            int n;
            try {
                n = limit == null ? 20 : Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1; // refused by the service with the parameter's name
            }
            Responses.json(ctx, 200, Map.of("object", "list", "data",
                    alerts.fired(Requests.caller(ctx), ctx.pathParam("id"), n).stream().map(FiredView::of).toList()));
        });
    }
}

package dev.accrue.adapters.http.webhook;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.webhook.WebhookDelivery;
import dev.accrue.app.webhook.WebhookEndpoint;
import dev.accrue.app.webhook.WebhookEndpointService;
import io.javalin.config.RoutesConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * /v1/webhook_endpoints: where a tenant's systems receive billing events (Standard Webhooks), their deliveries,
 * the delivery log and replays. The signing secret is in the answers that make it (create, rotate_secret) only.
 */
public final class WebhookRoutes {
    private final WebhookEndpointService endpoints;
    private final Idempotency idempotency;

    public WebhookRoutes(WebhookEndpointService endpoints, Idempotency idempotency) {
        this.endpoints = endpoints;
        this.idempotency = idempotency;
    }

    record CreateBody(String url, List<String> eventTypes, String description, Boolean enabled, String secret) {
    }

    record UpdateBody(String url, List<String> eventTypes, String description, Boolean enabled) {
    }

    record RotateBody(String secret, Integer overlapHours) {
    }

    record ReplayBody(Instant since) {
    }

    record EndpointView(String id, String object, String url, String description, List<String> eventTypes, boolean enabled, String disabledReason,
                        Instant failingSince, int consecutiveFailures, Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt,
                        String secret) {
        static EndpointView of(WebhookEndpoint e, boolean withSecret) {
            return new EndpointView(e.id(), "webhook_endpoint", e.url(), e.description(), e.eventTypes(), e.enabled(), e.disabledReason(),
                    e.failingSince(), e.consecutiveFailures(), e.previousSecretExpiresAt(), e.createdAt(), e.updatedAt(), withSecret ? e.secret() : null);
        }

        EndpointView withoutSecret() {
            return new EndpointView(id, object, url, description, eventTypes, enabled, disabledReason, failingSince, consecutiveFailures,
                    previousSecretExpiresAt, createdAt, updatedAt, null);
        }
    }

    record AttemptView(int attempt, Instant attemptedAt, String outcome, Integer statusCode, long durationMs, String responseBody, String error) {
    }

    record DeliveryView(String id, String object, String endpointId, String eventId, String eventType, String objectId, String status, int attempts,
                        Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant deliveredAt, Instant createdAt, String payload,
                        List<AttemptView> attemptLog) {
        static DeliveryView of(WebhookDelivery d, List<WebhookDelivery.Attempt> log) {
            return new DeliveryView(d.id(), "webhook_delivery", d.endpointId(), d.eventId(), d.eventType(), d.objectId(), d.status(), d.attempts(),
                    WebhookDelivery.PENDING.equals(d.status()) ? d.nextAttemptAt() : null, d.lastStatusCode(), d.lastError(), d.deliveredAt(),
                    d.createdAt(), d.payload(), log == null ? null : log.stream().map(a -> new AttemptView(a.attempt(), a.at(), a.outcome(),
                            a.statusCode(), a.durationMillis(), a.responseBody(), a.error())).toList());
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/webhook_endpoints", ctx -> {
            CreateBody b = Requests.body(ctx, CreateBody.class);
            // the secret is in this answer and not in the stored copy an idempotent replay returns
            idempotency.createShownOnce(ctx, 201, () -> EndpointView.of(endpoints.create(Requests.caller(ctx),
                            new WebhookEndpointService.NewEndpoint(b.url(), b.eventTypes(), b.description(), b.enabled(), b.secret())), true),
                    EndpointView::withoutSecret);
        });
        app.get("/v1/webhook_endpoints", ctx -> Responses.list(ctx,
                endpoints.list(Requests.caller(ctx), Requests.page(ctx)).map(e -> EndpointView.of(e, false)), EndpointView::id));
        app.get("/v1/webhook_endpoints/{id}", ctx -> Responses.json(ctx, 200, EndpointView.of(endpoints.get(Requests.caller(ctx), ctx.pathParam("id")), false)));
        app.patch("/v1/webhook_endpoints/{id}", ctx -> {
            UpdateBody b = Requests.body(ctx, UpdateBody.class);
            Responses.json(ctx, 200, EndpointView.of(endpoints.update(Requests.caller(ctx), ctx.pathParam("id"),
                    new WebhookEndpointService.EndpointChange(b.url(), b.eventTypes(), b.description(), b.enabled())), false));
        });
        app.delete("/v1/webhook_endpoints/{id}", ctx -> {
            endpoints.delete(Requests.caller(ctx), ctx.pathParam("id"));
            Responses.json(ctx, 200, Map.of("id", ctx.pathParam("id"), "object", "webhook_endpoint", "deleted", true));
        });
        app.post("/v1/webhook_endpoints/{id}/rotate_secret", ctx -> {
            RotateBody b = Requests.body(ctx, RotateBody.class);
            Responses.json(ctx, 200, EndpointView.of(endpoints.rotateSecret(Requests.caller(ctx), ctx.pathParam("id"), b.secret(),
                    b.overlapHours() == null ? null : Duration.ofHours(b.overlapHours())), true));
        });
        app.get("/v1/webhook_endpoints/{id}/deliveries", ctx -> Responses.list(ctx,
                endpoints.deliveries(Requests.caller(ctx), ctx.pathParam("id"), ctx.queryParam("status"), Requests.page(ctx))
                        .map(d -> DeliveryView.of(d, null)), DeliveryView::id));
        app.post("/v1/webhook_endpoints/{id}/replay", ctx -> {
            ReplayBody b = Requests.body(ctx, ReplayBody.class);
            int n = endpoints.replayFailed(Requests.caller(ctx), ctx.pathParam("id"), b.since());
            Responses.json(ctx, 200, Map.of("object", "webhook_replay", "endpoint_id", ctx.pathParam("id"), "replayed", n));
        });
        app.get("/v1/webhook_deliveries/{id}", ctx -> {
            var log = endpoints.delivery(Requests.caller(ctx), ctx.pathParam("id"));
            Responses.json(ctx, 200, DeliveryView.of(log.delivery(), log.attempts()));
        });
        app.post("/v1/webhook_deliveries/{id}/replay", ctx ->
                Responses.json(ctx, 200, DeliveryView.of(endpoints.replay(Requests.caller(ctx), ctx.pathParam("id")), null)));
    }
}

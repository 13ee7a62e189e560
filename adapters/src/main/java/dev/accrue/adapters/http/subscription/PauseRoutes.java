package dev.accrue.adapters.http.subscription;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.subscription.pause.PauseService;
import dev.accrue.app.subscription.pause.SubscriptionPause;
import io.javalin.config.RoutesConfig;

import java.time.Instant;
import java.time.LocalDate;

/** /v1/subscriptions/{id}/pause, /resume and /pauses: a customer's pause of billing, distinct from suspension. */
public final class PauseRoutes {
    private final PauseService pauses;
    private final Idempotency idempotency;

    public PauseRoutes(PauseService pauses, Idempotency idempotency) {
        this.pauses = pauses;
        this.idempotency = idempotency;
    }

    record PauseBody(LocalDate resumeOn) {
    }

    record PauseView(String id, String object, String subscriptionId, LocalDate pausedOn, LocalDate resumeOn, LocalDate resumedOn, Instant createdAt) {
        static PauseView of(SubscriptionPause p) {
            return new PauseView(p.id(), "subscription_pause", p.subscriptionId(), p.pausedOn(), p.resumeOn(), p.resumedOn(), p.createdAt());
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/subscriptions/{id}/pause", ctx -> {
            PauseBody b = ctx.body().isBlank() ? new PauseBody(null) : Requests.body(ctx, PauseBody.class);
            var caller = Requests.caller(ctx);
            idempotency.create(ctx, 201, () -> PauseView.of(pauses.pause(caller, ctx.pathParam("id"), b.resumeOn())));
        });
        app.post("/v1/subscriptions/{id}/resume", ctx -> {
            var caller = Requests.caller(ctx);
            idempotency.create(ctx, 200, () -> PauseView.of(pauses.resume(caller, ctx.pathParam("id"))));
        });
        app.get("/v1/subscriptions/{id}/pauses", ctx -> Responses.listAll(ctx, pauses.list(Requests.caller(ctx), ctx.pathParam("id")),
                SubscriptionPause::id, PauseView::of));
    }
}

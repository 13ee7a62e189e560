package dev.accrue.adapters.http.subscription;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.subscription.scheduled.ScheduledActionService;
import io.javalin.config.RoutesConfig;

import java.time.Instant;
import java.time.LocalDate;

/** /v1/subscriptions/{id}/scheduled_actions: dated plan, quantity and cancellation changes; the schedule; revoking. */
public final class ScheduledActionRoutes {
    private final ScheduledActionService actions;
    private final Idempotency idempotency;

    public ScheduledActionRoutes(ScheduledActionService actions, Idempotency idempotency) {
        this.actions = actions;
        this.idempotency = idempotency;
    }

    record ScheduleBody(String action, LocalDate effectiveDate, String plan, Integer quantity, String reason, String interval) {
    }

    record ActionView(String id, String object, String subscriptionId, String action, LocalDate effectiveDate, String plan, Integer quantity,
                      String interval, String reason, String source, String status, String failure, Instant createdAt, Instant settledAt) {
        static ActionView of(ScheduledActionService.Entry e) {
            return new ActionView(e.id(), "scheduled_action", e.subscriptionId(), e.action(), e.effectiveDate(), e.plan(), e.quantity(), e.interval(),
                    e.reason(), e.source(), e.status(), e.failure(), e.createdAt(), e.settledAt());
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/subscriptions/{id}/scheduled_actions", ctx -> {
            ScheduleBody b = Requests.body(ctx, ScheduleBody.class);
            var caller = Requests.caller(ctx);
            idempotency.create(ctx, 201, () -> ActionView.of(actions.schedule(caller, ctx.pathParam("id"),
                    new ScheduledActionService.Request(b.action(), b.effectiveDate(), b.plan(), b.quantity(), b.reason(),
                            b.interval()))));
        });
        app.get("/v1/subscriptions/{id}/scheduled_actions", ctx -> Responses.listAll(ctx,
                actions.list(Requests.caller(ctx), ctx.pathParam("id")), ScheduledActionService.Entry::id, ActionView::of));
        app.post("/v1/subscriptions/{id}/scheduled_actions/{action_id}/revoke", ctx -> Responses.json(ctx, 200,
                ActionView.of(actions.revoke(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("action_id")))));
    }
}

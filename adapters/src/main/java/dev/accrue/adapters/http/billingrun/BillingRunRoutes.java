package dev.accrue.adapters.http.billingrun;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.billingrun.BillingRun;
import dev.accrue.app.billingrun.BillingRuns;
import io.javalin.config.RoutesConfig;

import java.time.Clock;
import java.time.Instant;

/** /v1/billing_runs: the runs that billed this tenant's subscriptions, with their progress while they go. */
public final class BillingRunRoutes {
    private final BillingRuns runs;
    private final Clock clock;

    public BillingRunRoutes(BillingRuns runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    record BillingRunView(String id, String object, String status, Instant startedAt, Instant finishedAt, String triggeredBy, String node,
                          int due, int done, int failed, int invoicesIssued, Integer heldByOtherNodes) {
        static BillingRunView of(BillingRun r, Instant now) {
            return new BillingRunView(r.id(), "billing_run", r.status(now), r.startedAt(), r.finishedAt(), r.triggeredBy(), r.node(), r.due(),
                    r.done(), r.failed(), r.invoices(), r.heldElsewhere());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/billing_runs", ctx -> {
            Instant now = clock.instant();
            Responses.list(ctx, runs.list(Requests.caller(ctx), Requests.page(ctx)).map(r -> BillingRunView.of(r, now)), BillingRunView::id);
        });
        app.get("/v1/billing_runs/{id}", ctx -> Responses.json(ctx, 200, BillingRunView.of(runs.get(Requests.caller(ctx), ctx.pathParam("id")),
                clock.instant())));
    }
}

package dev.accrue.adapters.http.testclock;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.testclock.TestClockService;
import io.javalin.config.RoutesConfig;

import java.time.Instant;
import java.util.Map;

/** /v1/test_clocks (sandbox tenants): create a clock, attach customers at creation, advance it to bill what falls due. */
public final class TestClockRoutes {
    private final TestClockService clocks;
    private final Idempotency idempotency;

    public TestClockRoutes(TestClockService clocks, Idempotency idempotency) {
        this.clocks = clocks;
        this.idempotency = idempotency;
    }

    record CreateBody(String name, Instant frozenTime) {
    }

    record AdvanceBody(Instant frozenTime) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/test_clocks", ctx -> {
            CreateBody b = Requests.body(ctx, CreateBody.class);
            idempotency.create(ctx, 201, () -> clocks.create(Requests.caller(ctx), b.name(), b.frozenTime()));
        });
        app.get("/v1/test_clocks", ctx -> Responses.listAll(ctx, clocks.list(Requests.caller(ctx)), c -> c.id(), c -> c));
        app.get("/v1/test_clocks/{id}", ctx -> Responses.json(ctx, 200, clocks.get(Requests.caller(ctx), ctx.pathParam("id"))));
        app.post("/v1/test_clocks/{id}/advance", ctx -> {
            AdvanceBody b = Requests.body(ctx, AdvanceBody.class);
            Responses.json(ctx, 200, clocks.advance(Requests.caller(ctx), ctx.pathParam("id"), b.frozenTime()));
        });
    }
}

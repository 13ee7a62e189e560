package dev.accrue.adapters.http.metering;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.authorization.AuthorizationService;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.util.Map;

/**
 * /v1/authorizations: ask before a call starts (the answer holds a reservation), commit the actual usage
 * when it ends, or release it. A refusal is an answer, not an error: 200 with {@code authorized: false}.
 */
public final class AuthorizationRoutes {
    private final AuthorizationService authorizations;
    private final Idempotency idempotency;

    public AuthorizationRoutes(AuthorizationService authorizations, Idempotency idempotency) {
        this.authorizations = authorizations;
        this.idempotency = idempotency;
    }

    record AuthorizeBody(String customerId, String metric, BigDecimal requested, Integer ttlSeconds) {
    }

    record CommitBody(BigDecimal quantity, Map<String, Object> properties) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/authorizations", ctx -> {
            AuthorizeBody b = Requests.body(ctx, AuthorizeBody.class);
            // a retried authorize with the same Idempotency-Key gets the first reservation back instead of reserving twice
            idempotency.create(ctx, 200, () -> authorizations.authorize(Requests.caller(ctx), b.customerId(), b.metric(), b.requested(), b.ttlSeconds()));
        });
        app.post("/v1/authorizations/{id}/commit", ctx -> {
            CommitBody b = Requests.body(ctx, CommitBody.class);
            var result = authorizations.commit(Requests.caller(ctx), ctx.pathParam("id"), b.quantity(), b.properties());
            Responses.json(ctx, 200, Map.of("authorization_id", ctx.pathParam("id"), "status", "committed", "event_status", result.status()));
        });
        app.post("/v1/authorizations/{id}/release", ctx -> {
            authorizations.release(Requests.caller(ctx), ctx.pathParam("id"));
            Responses.json(ctx, 200, Map.of("authorization_id", ctx.pathParam("id"), "status", "released"));
        });
    }
}

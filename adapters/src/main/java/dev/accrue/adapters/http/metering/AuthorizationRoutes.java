package dev.accrue.adapters.http.metering;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.accrue.adapters.http.support.ErrorMapper;
import dev.accrue.app.authorization.AuthorizationBatch;
import dev.accrue.app.authorization.AuthorizationService;
import dev.accrue.app.authorization.Decision;
import dev.accrue.core.error.AccrueException;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * /v1/authorizations: ask before a call starts (the answer holds a reservation), commit the actual usage
 * when it ends, or release it. A refusal is an answer, not an error: 200 with {@code authorized: false}.
 * /v1/authorizations/batch asks up to 100 times in one request, each check answered as if sent alone.
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

    record BatchBody(List<AuthorizationBatch.Item> checks) {
    }

    /** One check's answer in a batch: the status the single endpoint would have answered, and its decision or (the other absent) error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchResult(int index, int status, Decision decision, BatchError error) {
    }

    record BatchError(String code, String field, String message) {
    }

    record CommitBody(BigDecimal quantity, Map<String, Object> properties) {
    }

    private static List<BatchResult> results(List<AuthorizationBatch.Answer> answers) {
        List<BatchResult> results = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            AccrueException e = answers.get(i).error();
            results.add(e == null ? new BatchResult(i, 200, answers.get(i).decision(), null)
                    : new BatchResult(i, ErrorMapper.status(e.code()), null, new BatchError(e.code().wire(), e.field(), e.getMessage())));
        }
        return results;
    }

    public void register(RoutesConfig app) {
        app.post("/v1/authorizations", ctx -> {
            AuthorizeBody b = Requests.body(ctx, AuthorizeBody.class);
            // a retried authorize with the same Idempotency-Key gets the first reservation back instead of reserving twice
            idempotency.create(ctx, 200, () -> authorizations.authorize(Requests.caller(ctx), b.customerId(), b.metric(), b.requested(), b.ttlSeconds()));
        });
        app.post("/v1/authorizations/batch", ctx -> {
            BatchBody b = Requests.body(ctx, BatchBody.class);
            // a retried batch with the same Idempotency-Key gets the first answers back instead of reserving twice
            idempotency.create(ctx, 200, () -> Map.of("results", results(authorizations.authorizeAll(Requests.caller(ctx), b.checks()))));
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

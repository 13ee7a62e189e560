package dev.accrue.app.authorization;

import dev.accrue.app.auth.Caller;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Many "may this call start?" checks in one request (POST /v1/authorizations/batch), possibly for different
 * customers, answered exactly as if each had been sent alone, in order — but most of them in one shared
 * statement and one commit, which is where a single check's cost goes (a round trip, a transaction, and the
 * HTTP request around it).
 * <p>
 * Three passes keep each customer's order: (1) a customer not cached yet has its first check answered alone
 * (the locked path reads and caches its rows); (2) every check the cache can decide goes into one group
 * compare-and-reserve ({@link AuthorizationService#decideGrouped}); (3) what that left — always the tail of
 * a customer's checks — is answered one at a time, in order, by the single-check path.
 */
public final class AuthorizationBatch {
    public static final int MAX_CHECKS = 100;
    private final AuthorizationService service;

    AuthorizationBatch(AuthorizationService service) {
        this.service = service;
    }

    /** One check as sent: the single endpoint's body. */
    public record Item(String customerId, String metric, BigDecimal requested, Integer ttlSeconds) {
    }

    /** One check's answer: the decision, or the error the single endpoint would have answered for it. */
    public record Answer(Decision decision, AccrueException error) {
    }

    /**
     * Validates every check first — an empty or oversized batch or any malformed check is refused as a whole,
     * with nothing reserved — then answers each. Errors that depend on the customer (not_found,
     * no_active_subscription, no_charge_for_metric) are that check's answer; the others still run.
     */
    public List<Answer> authorize(Caller caller, List<Item> items) {
        caller.requireWrite();
        if (items == null || items.isEmpty()) { // as an empty usage batch is answered
            throw new AccrueException(ErrorCode.MISSING_FIELD, "checks", "checks must hold at least one check");
        }
        if (items.size() > MAX_CHECKS) {
            throw new AccrueException(ErrorCode.BATCH_TOO_LARGE, "checks", "A batch holds at most " + MAX_CHECKS + " checks, got " + items.size());
        }
        int n = items.size();
        AuthorizationService.Check[] checks = new AuthorizationService.Check[n];
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            if (item == null) {
                throw new AccrueException(ErrorCode.MISSING_FIELD, "checks[" + i + "]", "checks[" + i + "] must be a check, not null");
            }
            checks[i] = AuthorizationService.check("checks[" + i + "].", item.customerId(), item.metric(), item.requested(), item.ttlSeconds());
        }
        String tenantId = caller.tenantId();
        Answer[] answers = new Answer[n];
        AuthorizationService.Check[] rest = checks.clone();
        Set<String> customers = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (customers.add(checks[i].customerId()) && !service.cached(tenantId, checks[i].customerId())) {
                answers[i] = alone(tenantId, checks[i]);
                rest[i] = null;
            }
        }
        Decision[] grouped = service.decideGrouped(tenantId, rest);
        int inGroup = 0;
        for (int i = 0; i < n; i++) {
            if (grouped[i] != null) {
                answers[i] = new Answer(grouped[i], null);
                inGroup++;
            } else if (answers[i] == null) {
                answers[i] = alone(tenantId, checks[i]);
            }
            counted(answers[i]);
        }
        checksCounted("group", inGroup);
        checksCounted("single", n - inGroup);
        return List.of(answers);
    }

    /** The single-check path; an error it answers for this check becomes the check's answer, except what fails the whole request. */
    private Answer alone(String tenantId, AuthorizationService.Check check) {
        try {
            return new Answer(service.decide(tenantId, check), null);
        } catch (AccrueException e) {
            if (e.code().kind() == ErrorCode.Kind.UNAVAILABLE || e.code().kind() == ErrorCode.Kind.INTERNAL) {
                throw e;
            }
            return new Answer(null, e);
        }
    }

    private static void counted(Answer a) {
        if (a.error() != null) {
            AuthorizationService.authorizationsCounted("error", a.error().code().wire());
        } else {
            AuthorizationService.authorizationsCounted(a.decision().authorized() ? "granted" : "refused", "none");
        }
    }

    /** How batched checks were answered: in the shared group statement, or one at a time (see the class comment). */
    private static void checksCounted(String path, int count) {
        if (count > 0) {
            Counter.builder("accrue_authorization_batch_checks").description("Checks of authorization batches, by how they were answered")
                    .tag("path", path).register(Metrics.globalRegistry).increment(count);
        }
    }
}

package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every check reads a subscription's live reservations from a running total (authorization_held, V620) that triggers on
 * authorizations keep, instead of summing the held rows. These tests attack the total: concurrent checks (single and
 * in batches), commits and releases, holds expiring on the customer's clock, the expiry job and rows changed by hand —
 * after each, the total must equal the sum of the rows it stands for, and the balance a check answers must be the one
 * the rows give.
 */
class AuthorizationHeldTotalTest {
    static final String CATALOG = """
            name: held-total
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: large
                product: voice
                name: Large
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 1000000 }], overage: { policy: block } }
            """;
    private static final BigDecimal INCLUDED = new BigDecimal("1000000");
    private Sandbox s;
    private final List<String> customers = new ArrayList<>();

    @BeforeEach
    void subscribed() {
        s = new Sandbox("held-total", CATALOG, "2026-06-10T12:00:00Z");
        for (int i = 0; i < 3; i++) {
            String customer = s.customer("Dialer " + i, "USD", "UTC");
            s.subscribe(Map.of("customer_id", customer, "plan", "large"));
            customers.add(customer);
        }
    }

    @Test
    void theTotalFollowsConcurrentChecksCommitsReleasesAndExpiry() throws Exception {
        List<String> granted = Collections.synchronizedList(new ArrayList<>());
        List<Runnable> work = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            work.add(() -> randomStep(granted));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(24)) {
            List<Future<?>> done = new ArrayList<>();
            for (Runnable r : work) {
                done.add(pool.submit(r));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertTotalsAreTheHeldRows();
        assertChecksAnswerTheRowsBalance("2026-06-10T12:00:00Z");

        s.advanceTo("2026-06-10T12:02:30Z"); // the 60-s holds are past their expiry, not yet marked: counted by neither
        assertChecksAnswerTheRowsBalance("2026-06-10T12:02:30Z");
        AuthorizationTest.runExpiryJob(); // marks them expired: they leave the total
        assertThat(count("status = 'expired'")).isPositive();
        assertTotalsAreTheHeldRows();
        assertChecksAnswerTheRowsBalance("2026-06-10T12:02:30Z");
    }

    @Test
    void rowsChangedByHandMoveTheTotalToo() {
        for (int i = 0; i < 6; i++) {
            authorize(customers.get(i % 3), 100, 3600);
        }
        TestNode.get().accrue().database().jdbi().useHandle(h -> {
            h.createUpdate("UPDATE authorizations SET reserved = reserved + 7 WHERE tenant_id = :t AND customer_id = :c")
                    .bind("t", s.tenant.id()).bind("c", customers.get(0)).execute();
            h.createUpdate("DELETE FROM authorizations WHERE tenant_id = :t AND customer_id = :c")
                    .bind("t", s.tenant.id()).bind("c", customers.get(1)).execute(); // as customer erasure deletes them
            h.createUpdate("UPDATE authorizations SET status = 'released' WHERE tenant_id = :t AND customer_id = :c")
                    .bind("t", s.tenant.id()).bind("c", customers.get(2)).execute();
        });
        assertTotalsAreTheHeldRows();
        assertChecksAnswerTheRowsBalance("2026-06-10T12:00:00Z");
        assertThat(new BigDecimal(authorize(customers.get(0), 1, 3600).get("available").asText()))
                .isEqualByComparingTo(INCLUDED.subtract(new BigDecimal("214"))); // two holds of 107
    }

    /** One of: a check, a batch of three checks, a commit or a release of an earlier grant. */
    private void randomStep(List<String> granted) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String customer = customers.get(random.nextInt(customers.size()));
        int roll = random.nextInt(100);
        if (roll < 45 || granted.isEmpty()) {
            JsonNode d = authorize(customer, 1 + random.nextInt(120), random.nextBoolean() ? 60 : 3600);
            assertThat(d.get("authorized").asBoolean()).isTrue();
            granted.add(d.get("authorization_id").asText());
        } else if (roll < 65) {
            List<Map<String, Object>> checks = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                checks.add(Map.of("customer_id", customers.get(random.nextInt(customers.size())), "metric", "call_seconds",
                        "requested", 1 + random.nextInt(120)));
            }
            Api.Response r = s.api.post("/v1/authorizations/batch", Map.of("checks", checks));
            assertThat(r.status()).isEqualTo(200);
            for (JsonNode d : r.json().get("results")) {
                assertThat(d.at("/decision/authorized").asBoolean()).isTrue();
                granted.add(d.at("/decision/authorization_id").asText());
            }
        } else {
            String id = granted.remove(random.nextInt(granted.size()));
            Api.Response r = roll < 85
                    ? s.api.post("/v1/authorizations/" + id + "/commit", Map.of("quantity", random.nextInt(30)))
                    : s.api.post("/v1/authorizations/" + id + "/release", null);
            assertThat(r.status()).isEqualTo(200);
        }
    }

    private JsonNode authorize(String customer, int requested, int ttlSeconds) {
        return s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", requested,
                "ttl_seconds", ttlSeconds)).json();
    }

    /** Every (subscription, metric) of this tenant: the running total equals the sum of its rows with status 'held'. */
    private void assertTotalsAreTheHeldRows() {
        List<String> wrong = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT coalesce(t.subscription_id, r.subscription_id) || ' ' || coalesce(t.metric, r.metric) || ': total '
                               || coalesce(t.held, 0) || ', rows ' || coalesce(r.held, 0)
                        FROM (SELECT * FROM authorization_held WHERE tenant_id = :t) t
                        FULL JOIN (SELECT subscription_id, metric, sum(reserved) AS held FROM authorizations
                                   WHERE tenant_id = :t AND status = 'held' GROUP BY subscription_id, metric) r
                            ON r.subscription_id = t.subscription_id AND r.metric = t.metric
                        WHERE coalesce(t.held, 0) <> coalesce(r.held, 0)""")
                .bind("t", s.tenant.id()).mapTo(String.class).list());
        assertThat(wrong).isEmpty();
        assertThat(count("status = 'held'")).isPositive(); // the comparison above compared something
    }

    /** A check of each customer answers available = included − used − the held rows not yet expired at {@code now}. */
    private void assertChecksAnswerTheRowsBalance(String now) {
        for (String customer : customers) {
            BigDecimal[] fromRows = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                            SELECT (SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d JOIN subscriptions s
                                        ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id
                                    WHERE d.tenant_id = :t AND s.customer_id = :c AND d.metric = 'call_seconds') AS used,
                                   (SELECT coalesce(sum(a.reserved), 0) FROM authorizations a
                                    WHERE a.tenant_id = :t AND a.customer_id = :c AND a.status = 'held'
                                      AND a.expires_at > CAST(:now AS timestamptz)) AS held""")
                    .bind("t", s.tenant.id()).bind("c", customer).bind("now", now)
                    .map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal("used"), rs.getBigDecimal("held")}).one());
            JsonNode d = s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", 1)).json();
            BigDecimal expected = INCLUDED.subtract(fromRows[0]).subtract(fromRows[1]);
            assertThat(new BigDecimal(d.get("available").asText())).as(customer).isEqualByComparingTo(expected);
            s.api.post("/v1/authorizations/" + d.get("authorization_id").asText() + "/release", null);
        }
    }

    private int count(String condition) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM authorizations WHERE tenant_id = :t AND " + condition)
                .bind("t", s.tenant.id()).mapTo(Integer.class).one());
    }
}

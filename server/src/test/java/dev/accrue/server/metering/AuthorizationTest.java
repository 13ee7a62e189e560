package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** "May this call start?" — answered from the same usage the views and invoices use, never overdrawn. */
class AuthorizationTest {
    static final String SMALL = """
            name: small
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: starter
                product: voice
                name: Starter
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 600 }], overage: { policy: block } }
              - code: capped
                product: voice
                name: Capped
                tier: 2
                intervals: [{ interval: month }]
                charges:
                  - type: metered
                    code: minutes
                    metric: call_seconds
                    allowances: [{ quantity: 60 }]
                    pricing: { model: per_unit, unit_price: { USD: "0.12" }, per_units: 60 }
                    overage: { policy: charge_up_to_cap, cap: { USD: "1.00" } }
            """;
    private Sandbox s;
    private String customer;

    @BeforeEach
    void subscribed() {
        s = new Sandbox("authorization", SMALL, "2026-06-10T12:00:00Z");
        customer = s.customer("Dialer Co", "USD", "UTC");
    }

    private Api.Response authorize(Object requested) {
        return s.api.post("/v1/authorizations", requested == null ? Map.of("customer_id", customer, "metric", "call_seconds")
                : Map.of("customer_id", customer, "metric", "call_seconds", "requested", requested));
    }

    @Test
    void hundredsOfParallelCallsNeverOverdrawASmallBalance() throws Exception {
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(() -> authorize(7).json());
        }
        BigDecimal granted = BigDecimal.ZERO;
        int authorized = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            for (Future<JsonNode> f : pool.invokeAll(calls)) {
                JsonNode d = f.get();
                if (d.get("authorized").asBoolean()) {
                    authorized++;
                    granted = granted.add(new BigDecimal(d.get("granted").asText()));
                } else {
                    assertThat(d.get("reason").asText()).isEqualTo("usage_blocked");
                }
            }
        }
        assertThat(granted).isEqualByComparingTo("600");
        assertThat(authorized).isEqualTo(86); // 85 × 7 s, then one partial grant of the last 5 s
        JsonNode refused = authorize(1).json();
        assertThat(refused.get("authorized").asBoolean()).isFalse();
        assertThat(refused.get("available").asText()).isEqualTo("0");
    }

    @Test
    void committingRecordsTheActualUsageAndReleasesTheRest() {
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        JsonNode first = authorize(500).json();
        assertThat(first.get("granted").asText()).isEqualTo("500");
        assertThat(authorize(null).json().get("granted").asText()).isEqualTo("100");
        var commit = s.api.post("/v1/authorizations/" + first.get("authorization_id").asText() + "/commit", Map.of("quantity", 83));
        assertThat(commit.text("event_status")).isEqualTo("accepted");
        assertThat(s.api.post("/v1/authorizations/" + first.get("authorization_id").asText() + "/commit", Map.of("quantity", 83)).code())
                .isEqualTo("authorization_settled");
        // 600 − 83 used − 100 still held = 417
        assertThat(authorize(1000).json().get("granted").asText()).isEqualTo("417");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0/used").asText()).isEqualTo("83");
    }

    @Test
    void releasedAndExpiredReservationsFreeTheirSeconds() {
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        String held = authorize(600).json().get("authorization_id").asText();
        assertThat(authorize(1).json().get("authorized").asBoolean()).isFalse();
        s.api.post("/v1/authorizations/" + held + "/release", null);
        JsonNode shortLived = s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", 600, "ttl_seconds", 60)).json();
        assertThat(shortLived.get("granted").asText()).isEqualTo("600");
        s.advanceTo("2026-06-10T12:02:00Z");
        assertThat(authorize(600).json().get("granted").asText()).isEqualTo("600");
    }

    /**
     * Holds never committed or released used to stay 'held' for ever: left out of every balance (the sum counts only
     * expires_at > now) but kept in the index of held rows, which grew with every abandoned call. The recurring
     * authorization-expiry job marks them expired — by the customer's clock (here a test clock), a minute after their
     * expiry — without moving any balance, and an expired hold can still be committed.
     */
    @Test
    void holdsPastTheirExpiryAreMarkedExpiredByTheRecurringJobWithoutMovingTheBalance() {
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        String shortLived = s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", 300,
                "ttl_seconds", 60)).json().get("authorization_id").asText();
        String longLived = s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", 200,
                "ttl_seconds", 86_400)).json().get("authorization_id").asText();
        s.advanceTo("2026-06-10T12:01:30Z"); // 30 s past the short hold's expiry: within the grace, still held
        runExpiryJob();
        assertThat(status(shortLived)).isEqualTo("held");
        s.advanceTo("2026-06-10T12:03:00Z");
        runExpiryJob();
        assertThat(status(shortLived)).isEqualTo("expired");
        assertThat(status(longLived)).isEqualTo("held");
        int heldPastExpiry = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM authorizations WHERE tenant_id = :t AND status = 'held' AND expires_at <= TIMESTAMPTZ '2026-06-10T12:02:00Z'""")
                .bind("t", s.tenant.id()).mapTo(Integer.class).one());
        assertThat(heldPastExpiry).isZero();
        // 600 − 200 still held: the expired hold counted for nothing before the job and still does
        assertThat(authorize(1000).json().get("granted").asText()).isEqualTo("400");
        var committed = s.api.post("/v1/authorizations/" + shortLived + "/commit", Map.of("quantity", 50));
        assertThat(committed.status()).isEqualTo(200);
        assertThat(status(shortLived)).isEqualTo("committed");
    }

    /** Runs the recurring authorization-expiry job once, as its node's scheduler would. */
    static void runExpiryJob() {
        TestNode.get().accrue().recurringJobs(java.time.Duration.ofMinutes(1)).stream().filter(j -> j.name().equals("authorization-expiry"))
                .findFirst().orElseThrow(() -> new AssertionError("no authorization-expiry job")).work().run();
    }

    private String status(String authorizationId) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT status FROM authorizations WHERE tenant_id = :t AND id = :id")
                .bind("t", s.tenant.id()).bind("id", authorizationId).mapTo(String.class).one());
    }

    @Test
    void aCapAllowsOnlyWhatItCanPayForAndSuspensionRefusesEverything() {
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "capped")).get("id").asText();
        // 60 included + 1.00 / (0.12 per 60 s) = 500 overage seconds
        assertThat(authorize(10_000).json().get("granted").asText()).isEqualTo("560");
        s.api.post("/v1/subscriptions/" + sub + "/suspend", null);
        JsonNode refused = authorize(1).json();
        assertThat(refused.get("authorized").asBoolean()).isFalse();
        assertThat(refused.get("reason").asText()).isEqualTo("subscription_suspended");
        assertThat(s.api.post("/v1/authorizations", Map.of("customer_id", "cus_nope", "metric", "call_seconds")).code()).isEqualTo("not_found");
    }

    @Test
    void aCachedAnswerFollowsUsageSentMeanwhileAndAPlanChange() {
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        assertThat(authorize(100).json().get("granted").asText()).isEqualTo("100");
        assertThat(authorize(100).json().get("granted").asText()).isEqualTo("100"); // from the cached terms and balance
        // usage arriving as an event (not through a commit) moves the balance the cache remembers
        s.api.post("/v1/events", Map.of("event_id", "call-1", "customer_id", customer, "metric", "call_seconds",
                "timestamp", "2026-06-10T11:00:00Z", "properties", Map.of("duration_seconds", 250)));
        JsonNode afterUsage = authorize(1000).json();
        assertThat(afterUsage.get("granted").asText()).isEqualTo("150"); // 600 − 250 used − 200 held
        assertThat(afterUsage.get("used").asText()).isEqualTo("250");
        assertThat(authorize(1).json().get("reason").asText()).isEqualTo("usage_blocked");
        // an upgrade takes effect at once: the capped plan allows 60 + 500 seconds, less than the 250 + 350 already taken
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "capped")).text("timing")).isEqualTo("immediate");
        JsonNode upgraded = authorize(10).json();
        assertThat(upgraded.get("authorized").asBoolean()).isFalse();
        assertThat(upgraded.get("reason").asText()).isEqualTo("balance_exhausted");
        assertThat(upgraded.get("included").asText()).isEqualTo("60");
    }
}

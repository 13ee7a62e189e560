package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /v1/authorizations/batch: every check answered exactly as if sent alone, in order, and never overdrawn. */
class AuthorizationBatchTest {
    private Sandbox s;
    private String customer;

    @BeforeEach
    void subscribed() {
        s = new Sandbox("authorization-batch", AuthorizationTest.SMALL, "2026-06-10T12:00:00Z");
        customer = s.customer("Dialer Co", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customer, "plan", "starter")); // 600 seconds, blocked beyond
    }

    private static Map<String, Object> check(String customer, Object requested) {
        return Map.of("customer_id", customer, "metric", "call_seconds", "requested", requested);
    }

    private Api.Response batch(List<?> checks) {
        return s.api.post("/v1/authorizations/batch", Map.of("checks", checks));
    }

    private List<JsonNode> results(List<?> checks) {
        Api.Response r = batch(checks);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("results").forEach(out::add);
        assertThat(out).hasSize(checks.size());
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).get("index").asInt()).isEqualTo(i);
        }
        return out;
    }

    /**
     * The group statement plans its array-taking statements once (V621). Replacing the function (V630) resets its settings unless
     * the new definition repeats them, and nothing else would notice: the answers stay the same, only slower and bimodal.
     */
    @Test
    void theGroupStatementKeepsItsGenericPlans() {
        List<String> settings = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT unnest(proconfig) FROM pg_proc WHERE proname = 'accrue_authorization_reserve_group'").mapTo(String.class).list());
        assertThat(settings).containsExactly("plan_cache_mode=force_generic_plan");
    }

    /** What the single endpoint answers, minus the new reservation's id. */
    private static String comparable(JsonNode decision) {
        return decision.get("authorized") + " " + decision.get("granted") + " " + decision.get("available") + " " + decision.get("used")
                + " " + decision.get("included") + " " + decision.get("reason");
    }

    @Test
    void aBatchAgainstASmallBalanceGrantsWhatSinglesWouldInOrder() {
        String other = s.customer("Single Co", "USD", "UTC");
        s.subscribe(Map.of("customer_id", other, "plan", "starter"));
        // both customers cached the same way (one check each), then five checks of 200 s against the 500 s left
        assertThat(s.api.post("/v1/authorizations", check(customer, 100)).json().get("granted").asText()).isEqualTo("100");
        assertThat(s.api.post("/v1/authorizations", check(other, 100)).json().get("granted").asText()).isEqualTo("100");
        String before = scrape();
        List<JsonNode> batched = results(Collections.nCopies(5, check(customer, 200)));
        String after = scrape();
        List<String> singles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            singles.add(comparable(s.api.post("/v1/authorizations", check(other, 200)).json()));
        }
        assertThat(batched.stream().map(r -> comparable(r.get("decision"))).toList()).isEqualTo(singles);
        assertThat(batched.stream().map(r -> r.at("/decision/granted").asText()).toList()).containsExactly("200", "200", "100", "0", "0");
        assertThat(batched.get(3).at("/decision/reason").asText()).isEqualTo("usage_blocked");
        assertThat(batched.get(2).get("status").asInt()).isEqualTo(200);
        assertThat(batched.get(2).has("error")).isFalse();
        // all five were answered by the one group statement
        assertThat(value(after, "path=\"group\"") - value(before, "path=\"group\"")).isEqualTo(5);
        // the reservations are real: what they hold is gone, and releasing one frees it
        assertThat(s.api.post("/v1/authorizations", check(customer, 1)).json().get("authorized").asBoolean()).isFalse();
        s.api.post("/v1/authorizations/" + batched.get(0).at("/decision/authorization_id").asText() + "/release", null);
        assertThat(s.api.post("/v1/authorizations", check(customer, 1000)).json().get("granted").asText()).isEqualTo("200");
    }

    @Test
    void checksOfSeveralCustomersInterleavedEachGetTheirOwnAnswerAndAnUnknownCustomerItsError() {
        String other = s.customer("Second Co", "USD", "UTC"); // never checked before: its first check takes the locked path
        s.subscribe(Map.of("customer_id", other, "plan", "capped")); // 60 + 500 seconds
        String unsubscribed = s.customer("Nothing Co", "USD", "UTC");
        List<JsonNode> r = results(List.of(check(customer, 400), check(other, 300), check("cus_nope", 1), check(customer, 400),
                check(other, 300), check(unsubscribed, 5), check(customer, 1)));
        assertThat(r.get(0).at("/decision/granted").asText()).isEqualTo("400");
        assertThat(r.get(1).at("/decision/granted").asText()).isEqualTo("300");
        assertThat(r.get(2).get("status").asInt()).isEqualTo(404);
        assertThat(r.get(2).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(r.get(2).at("/error/field").asText()).isEqualTo("customer_id");
        assertThat(r.get(2).has("decision")).isFalse();
        assertThat(r.get(3).at("/decision/granted").asText()).isEqualTo("200");
        assertThat(r.get(4).at("/decision/granted").asText()).isEqualTo("260");
        assertThat(r.get(5).get("status").asInt()).isEqualTo(400);
        assertThat(r.get(5).at("/error/code").asText()).isEqualTo("no_active_subscription");
        assertThat(r.get(6).at("/decision/authorized").asBoolean()).isFalse();
        // a warm cache for both: the same batch again is all refusals, most from the group statement
        r = results(List.of(check(customer, 1), check(other, 1)));
        assertThat(r.get(0).at("/decision/reason").asText()).isEqualTo("usage_blocked");
        assertThat(r.get(1).at("/decision/reason").asText()).isEqualTo("balance_exhausted");
    }

    @Test
    void concurrentBatchesAndSinglesNeverOverdraw() throws Exception {
        s.api.post("/v1/authorizations", check(customer, 1)); // cached: the batches race in the group statement
        s.api.post("/v1/authorizations/batch", Map.of("checks", List.of(Map.of("customer_id", customer, "metric", "call_seconds", "requested", 1))));
        List<Callable<List<JsonNode>>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int n = i;
            calls.add(() -> n % 4 == 3 ? List.of(s.api.post("/v1/authorizations", check(customer, 7)).json())
                    : toList(batch(Collections.nCopies(10, check(customer, 7))).json().get("results"), true));
        }
        BigDecimal granted = new BigDecimal("2"); // the two warm-up seconds
        int authorized = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (Future<List<JsonNode>> f : pool.invokeAll(calls)) {
                boolean refusedBefore = false;
                for (JsonNode d : f.get()) {
                    if (d.get("authorized").asBoolean()) {
                        assertThat(refusedBefore).as("a later check of a batch granted after an earlier one was refused").isFalse();
                        authorized++;
                        granted = granted.add(new BigDecimal(d.get("granted").asText()));
                    } else {
                        refusedBefore = true;
                        assertThat(d.get("reason").asText()).isEqualTo("usage_blocked");
                    }
                }
            }
        }
        assertThat(granted).isEqualByComparingTo("600");
        assertThat(authorized).isEqualTo(86); // 85 × 7 s, then one partial grant of the last 3 s (598 = 2 + 85 × 7 + 3)
        assertThat(s.api.post("/v1/authorizations", check(customer, 1)).json().get("available").asText()).isEqualTo("0");
    }

    @Test
    void aCustomerWhoseRowsAreLockedElsewhereIsAnsweredAloneOnceTheLockIsFreed() throws Exception {
        String other = s.customer("Free Co", "USD", "UTC");
        s.subscribe(Map.of("customer_id", other, "plan", "starter"));
        s.api.post("/v1/authorizations", check(customer, 1)); // both cached: only the lock decides the path
        s.api.post("/v1/authorizations", check(other, 1));
        String before = scrape();
        CompletableFuture<Api.Response> answered;
        try (Handle blocker = TestNode.get().accrue().database().jdbi().open()) {
            blocker.begin();
            blocker.createQuery("SELECT id FROM subscriptions WHERE tenant_id = :t AND customer_id = :c FOR UPDATE")
                    .bind("t", s.tenant.id()).bind("c", customer).mapTo(String.class).list();
            answered = CompletableFuture.supplyAsync(() -> batch(List.of(check(customer, 300), check(other, 300), check(customer, 400))));
            Thread.sleep(1_500);
            assertThat(answered).as("the busy customer's checks wait for the lock, one at a time").isNotDone();
            blocker.commit();
        }
        List<JsonNode> r = toList(answered.get(30, TimeUnit.SECONDS).json().get("results"), true);
        assertThat(r.stream().map(d -> d.get("granted").asText()).toList()).containsExactly("300", "300", "299");
        String after = scrape();
        assertThat(value(after, "path=\"group\"") - value(before, "path=\"group\"")).isEqualTo(1);
        assertThat(value(after, "path=\"single\"") - value(before, "path=\"single\"")).isEqualTo(2);
    }

    /**
     * A single check sent alone goes as a group of one (accrue_authorization_reserve_one): a customer locked elsewhere
     * answers busy there and waits for the lock on its own thread, while another customer's check is answered meanwhile.
     */
    @Test
    void aSingleCheckOfALockedCustomerWaitsAloneWhileOthersAreAnswered() throws Exception {
        String other = s.customer("Free Co", "USD", "UTC");
        s.subscribe(Map.of("customer_id", other, "plan", "starter"));
        s.api.post("/v1/authorizations", check(customer, 1)); // both cached: the group path is taken
        s.api.post("/v1/authorizations", check(other, 1));
        CompletableFuture<Api.Response> waiting;
        try (Handle blocker = TestNode.get().accrue().database().jdbi().open()) {
            blocker.begin();
            blocker.createQuery("SELECT id FROM subscriptions WHERE tenant_id = :t AND customer_id = :c FOR UPDATE")
                    .bind("t", s.tenant.id()).bind("c", customer).mapTo(String.class).list();
            waiting = CompletableFuture.supplyAsync(() -> s.api.post("/v1/authorizations", check(customer, 300)));
            Thread.sleep(1_000);
            assertThat(s.api.post("/v1/authorizations", check(other, 300)).json().get("granted").asText()).isEqualTo("300");
            assertThat(waiting).as("the locked customer's check waits for the lock").isNotDone();
            blocker.commit();
        }
        assertThat(waiting.get(30, TimeUnit.SECONDS).json().get("granted").asText()).isEqualTo("300");
        assertThat(s.api.post("/v1/authorizations", check(customer, 1000)).json().get("granted").asText()).isEqualTo("299");
    }

    private static List<JsonNode> toList(JsonNode results, boolean decisions) {
        List<JsonNode> out = new ArrayList<>();
        results.forEach(r -> out.add(decisions ? r.get("decision") : r));
        return out;
    }

    @Test
    void badBatchesAreRefusedWholeWithNothingReserved() {
        Map<String, Object> ok = check(customer, 100);
        assertThat(batch(List.of()).code()).isEqualTo("missing_field");
        assertThat(s.api.post("/v1/authorizations/batch", Map.of()).code()).isEqualTo("missing_field");
        Api.Response big = batch(Collections.nCopies(101, ok));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.code()).isEqualTo("batch_too_large");
        Api.Response negative = batch(List.of(ok, ok, check(customer, -5)));
        assertThat(negative.code()).isEqualTo("validation_failed");
        assertThat(negative.json().get("field").asText()).isEqualTo("checks[2].requested");
        Api.Response missing = batch(List.of(ok, Map.of("metric", "call_seconds")));
        assertThat(missing.code()).isEqualTo("missing_field");
        assertThat(missing.json().get("field").asText()).isEqualTo("checks[1].customer_id");
        Api.Response ttl = batch(List.of(ok, Map.of("customer_id", customer, "metric", "call_seconds", "ttl_seconds", 0)));
        assertThat(ttl.json().get("field").asText()).isEqualTo("checks[1].ttl_seconds");
        Api.Response wrongType = batch(List.of(ok, Map.of("customer_id", customer, "metric", "call_seconds", "requested", List.of(1))));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("field").asText()).startsWith("checks[1]");
        Api.Response unknown = batch(List.of(ok, Map.of("customer_id", customer, "metric", "call_seconds", "seconds", 3)));
        assertThat(unknown.code()).isEqualTo("unknown_field");
        Api.Response nullItem = s.api.sendBytes("POST", "/v1/authorizations/batch",
                ("{\"checks\":[{\"customer_id\":\"" + customer + "\",\"metric\":\"call_seconds\"},null]}").getBytes(), "application/json");
        assertThat(nullItem.code()).isEqualTo("missing_field");
        assertThat(nullItem.json().get("field").asText()).isEqualTo("checks[1]");
        // nothing of the above was reserved: the whole 600 s is still there
        assertThat(s.api.post("/v1/authorizations", check(customer, 600)).json().get("granted").asText()).isEqualTo("600");
    }

    @Test
    void aRetriedBatchWithTheSameIdempotencyKeyReservesOnce() {
        Api keyed = s.api.withHeader("Idempotency-Key", "batch-1");
        JsonNode first = keyed.post("/v1/authorizations/batch", Map.of("checks", List.of(check(customer, 250), check(customer, 250)))).json();
        JsonNode again = keyed.post("/v1/authorizations/batch", Map.of("checks", List.of(check(customer, 250), check(customer, 250)))).json();
        assertThat(again).isEqualTo(first);
        assertThat(s.api.post("/v1/authorizations", check(customer, 600)).json().get("granted").asText()).isEqualTo("100");
    }

    private static String scrape() {
        var metrics = new Api(TestNode.get().baseUrl(), null).get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body();
    }

    /** The sum of accrue_authorization_batch_checks_total series whose labels contain {@code labels}. */
    private static double value(String scrape, String labels) {
        Matcher m = Pattern.compile("(?m)^accrue_authorization_batch_checks_total(\\{[^}]*}) ([-0-9.eE+NaInf]+)$").matcher(scrape);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}

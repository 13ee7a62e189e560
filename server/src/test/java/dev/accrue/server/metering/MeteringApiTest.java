package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class MeteringApiTest {
    static final String VOICE = """
            name: voice
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [direction] }
              - { code: api_calls, aggregation: count, unit: call }
              - { code: storage_gb, aggregation: max, field: gb, unit: GB }
              - { code: active_callers, aggregation: unique_count, field: caller, unit: caller }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: pro
                product: voice
                name: Pro
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Pro, monthly_price: { USD: "49.00" } }
                  - type: metered
                    code: minutes
                    metric: call_seconds
                    allowances: [{ quantity: 18000 }]
                    pricing: { model: per_unit, unit_price: { USD: "0.12" }, per_units: 60 }
                  - { type: metered, code: api, metric: api_calls, overage: { policy: block } }
                  - { type: metered, code: storage, metric: storage_gb, overage: { policy: block } }
                  - { type: metered, code: callers, metric: active_callers, overage: { policy: block } }
            """;
    private Sandbox s;
    private String customer;

    @BeforeEach
    void subscribed() {
        s = new Sandbox("metering", VOICE, "2026-06-20T12:00:00Z");
        customer = s.customer("Caller Co", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customer, "plan", "pro", "start_date", "2026-06-01"));
    }

    private Map<String, Object> call(String id, Object seconds, String direction, String at) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", id);
        e.put("customer_id", customer);
        e.put("metric", "call_seconds");
        e.put("timestamp", at);
        e.put("properties", Map.of("duration_seconds", seconds, "direction", direction));
        return e;
    }

    private String subscription() {
        return s.api.get("/v1/subscriptions?customer_id=" + customer).json().at("/data/0/id").asText();
    }

    private JsonNode usage() {
        return s.api.get("/v1/subscriptions/" + subscription() + "/usage").json();
    }

    @Test
    void aCallOfOneMinuteTwentyThreeSecondsCountsAs83SecondsAndARetryIsNotCountedAgain() {
        var first = s.api.post("/v1/events", call("call-1", 83, "inbound", "2026-06-10T11:00:00Z"));
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(first.text("status")).isEqualTo("accepted");
        var retry = s.api.post("/v1/events", call("call-1", 83, "inbound", "2026-06-10T11:00:00Z"));
        assertThat(retry.text("status")).isEqualTo("duplicate");
        JsonNode minutes = usage().at("/charges/0");
        assertThat(minutes.get("used").asText()).isEqualTo("83");
        assertThat(minutes.get("included").asText()).isEqualTo("18000");
        assertThat(minutes.get("remaining").asText()).isEqualTo("17917");
        assertThat(minutes.get("percent_used").asText()).isEqualTo("0.46");
        // 83 s in 20 of 30 days projects to 125 s, still inside the allowance: nothing to pay
        assertThat(minutes.get("projected").asText()).isEqualTo("125");
        assertThat(minutes.get("projected_cost").asText()).isEqualTo("0.00");
    }

    @Test
    void aBatchReportsEveryEventAndStoresTheValidRest() {
        s.api.post("/v1/events", call("seen-before", 10, "inbound", "2026-06-10T10:00:00Z"));
        Api other = TestNode.get().newTenant("metering other").api();
        List<Map<String, Object>> events = new ArrayList<>();
        events.add(call("ok-1", 60, "outbound", "2026-06-09T10:00:00Z"));
        events.add(call("seen-before", 10, "inbound", "2026-06-10T10:00:00Z"));
        Map<String, Object> unknownMetric = call("bad-metric", 5, "inbound", "2026-06-10T10:00:00Z");
        unknownMetric.put("metric", "fax_pages");
        events.add(unknownMetric);
        Map<String, Object> foreign = call("foreign", 5, "inbound", "2026-06-10T10:00:00Z");
        foreign.put("customer_id", "cus_01ARZ3NDEKTSV4RRFFQ69G5FAV");
        events.add(foreign);
        events.add(call("negative", -5, "inbound", "2026-06-10T10:00:00Z"));
        events.add(call("text", "five", "inbound", "2026-06-10T10:00:00Z"));
        events.add(call("late", 5, "inbound", "2026-04-01T10:00:00Z"));
        events.add(call("future", 5, "inbound", "2026-06-20T12:30:00Z"));
        events.add(call("badtime", 5, "inbound", "yesterday"));
        Map<String, Object> noId = call(null, 5, "inbound", "2026-06-10T10:00:00Z");
        events.add(noId);
        events.add(call("ok-1", 60, "outbound", "2026-06-09T10:00:00Z"));
        events.add(call("absurd", new java.math.BigInteger("10000000000000"), "inbound", "2026-06-10T10:00:00Z"));
        events.add(call("ok-2", 120, "inbound", "2026-06-20T11:59:00Z"));
        var response = s.api.post("/v1/events/batch", Map.of("events", events));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode r = response.json();
        assertThat(r.get("accepted").asInt()).isEqualTo(2);
        assertThat(r.get("duplicates").asInt()).isEqualTo(1);
        assertThat(r.get("rejected").asInt()).isEqualTo(10);
        List<String> codes = new ArrayList<>();
        r.get("results").forEach(x -> codes.add(x.get("status").asText() + (x.get("code").isNull() ? "" : ":" + x.get("code").asText())));
        assertThat(codes).containsExactly("accepted", "duplicate", "rejected:unknown_metric", "rejected:unknown_customer",
                "rejected:invalid_quantity", "rejected:invalid_quantity", "rejected:event_too_late", "rejected:event_in_future",
                "rejected:invalid_timestamp", "rejected:missing_field", "rejected:duplicate_in_batch", "rejected:quantity_too_large", "accepted");
        JsonNode minutes = usage().at("/charges/0");
        assertThat(minutes.get("used").asText()).isEqualTo("190");
        assertThat(minutes.at("/by_dimension/direction=inbound").asText()).isEqualTo("130");
        assertThat(minutes.at("/by_dimension/direction=outbound").asText()).isEqualTo("60");
        var daily = s.api.get("/v1/subscriptions/" + subscription() + "/usage/daily?metric=call_seconds&from=2026-06-01&to=2026-07-01").json();
        assertThat(daily.get("data")).hasSize(3);

        var foreignKey = other.post("/v1/events", call("x", 5, "inbound", "2026-06-10T10:00:00Z"));
        assertThat(foreignKey.code()).isEqualTo("unknown_customer");
    }

    @Test
    void countAndMaxMetricsAggregateByTheirRule() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(Map.of("event_id", "api-" + i, "customer_id", customer, "metric", "api_calls", "timestamp", "2026-06-10T09:00:00Z"));
        }
        events.add(Map.of("event_id", "gb-1", "customer_id", customer, "metric", "storage_gb", "timestamp", "2026-06-08T09:00:00Z", "properties", Map.of("gb", 12.5)));
        events.add(Map.of("event_id", "gb-2", "customer_id", customer, "metric", "storage_gb", "timestamp", "2026-06-09T09:00:00Z", "properties", Map.of("gb", 7)));
        assertThat(s.api.post("/v1/events/batch", Map.of("events", events)).json().get("accepted").asInt()).isEqualTo(7);
        String[] callers = {"+1555", "+1666", "+1555", "+1777", "+1555"};
        List<Map<String, Object>> uniques = new ArrayList<>();
        for (int i = 0; i < callers.length; i++) {
            uniques.add(Map.of("event_id", "u-" + i, "customer_id", customer, "metric", "active_callers", "timestamp", "2026-06-1" + i + "T09:00:00Z",
                    "properties", Map.of("caller", callers[i])));
        }
        assertThat(s.api.post("/v1/events/batch", Map.of("events", uniques)).json().get("accepted").asInt()).isEqualTo(5);
        JsonNode charges = usage().get("charges");
        assertThat(charges.get(1).get("used").asText()).isEqualTo("5");
        assertThat(charges.get(2).get("used").asText()).isEqualTo("12.5");
        assertThat(charges.get(3).get("used").asText()).isEqualTo("3");
        s.api.delete("/v1/events/u-3");
        assertThat(usage().at("/charges/3/used").asText()).isEqualTo("2");
    }

    @Test
    void aForwardedCallBillsTwoLegsInboundAndOutbound() {
        Map<String, Object> forwarded = new LinkedHashMap<>(call("fwd-1", 83, "inbound", "2026-06-20T11:00:00Z"));
        forwarded.put("properties", Map.of("duration_seconds", 83, "direction", "inbound", "forwarded_to", "+33612345678"));
        assertThat(s.api.post("/v1/events", forwarded).text("status")).isEqualTo("accepted");
        assertThat(s.api.post("/v1/events", forwarded).text("status")).isEqualTo("duplicate");
        JsonNode minutes = usage().at("/charges/0");
        assertThat(minutes.get("used").asText()).isEqualTo("166");
        assertThat(minutes.at("/by_dimension/direction=inbound").asText()).isEqualTo("83");
        assertThat(minutes.at("/by_dimension/direction=outbound").asText()).isEqualTo("83");
    }

    @Test
    void eventsAreCancelledAndCorrectedByIdInsideTheLatenessWindow() {
        s.api.post("/v1/events", call("fix-me", 600, "inbound", "2026-06-20T11:00:00Z"));
        s.api.post("/v1/events", call("drop-me", 100, "inbound", "2026-06-20T11:00:00Z"));
        assertThat(usage().at("/charges/0/used").asText()).isEqualTo("700");
        var corrected = s.api.patch("/v1/events/fix-me", Map.of("properties", Map.of("duration_seconds", 60, "direction", "outbound")));
        assertThat(corrected.text("quantity")).isEqualTo("60");
        assertThat(s.api.delete("/v1/events/drop-me").text("status")).isEqualTo("cancelled");
        assertThat(s.api.delete("/v1/events/drop-me").code()).isEqualTo("event_cancelled");
        JsonNode minutes = usage().at("/charges/0");
        assertThat(minutes.get("used").asText()).isEqualTo("60");
        assertThat(minutes.at("/by_dimension/direction=outbound").asText()).isEqualTo("60");
        assertThat(s.api.patch("/v1/events/fix-me", Map.of("properties", Map.of("duration_seconds", -1))).code()).isEqualTo("invalid_quantity");
        assertThat(s.api.delete("/v1/events/never-sent").code()).isEqualTo("not_found");
        s.advanceTo("2026-07-02T12:00:00Z");
        // after June was invoiced a cancellation is still taken: the next invoice adjusts June (UsageInvoicingTest)
        assertThat(s.api.delete("/v1/events/fix-me").text("status")).isEqualTo("cancelled");
        // a late event for the invoiced June period is taken; the next invoice carries what it changes
        assertThat(s.api.post("/v1/events", call("late-june", 30, "inbound", "2026-06-30T11:00:00Z")).text("status")).isEqualTo("accepted");
    }

    @Test
    void oversizeBatchesAndEmptyBatchesAreRefusedWhole() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            events.add(call("e-" + i, 1, "inbound", "2026-06-10T10:00:00Z"));
        }
        var big = s.api.post("/v1/events/batch", Map.of("events", events));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.code()).isEqualTo("batch_too_large");
        assertThat(s.api.post("/v1/events/batch", Map.of("events", List.of())).code()).isEqualTo("missing_field");
        assertThat(usage().at("/charges/0/used").asText()).isEqualTo("0");
    }

    @Test
    void concurrentCopiesOfOneEventAreCountedOnce() throws Exception {
        List<Callable<Api.Response>> sends = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sends.add(() -> s.api.post("/v1/events", call("racing", 30, "inbound", "2026-06-10T10:00:00Z")));
        }
        List<String> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (Future<Api.Response> f : pool.invokeAll(sends)) {
                statuses.add(f.get().text("status"));
            }
        }
        assertThat(statuses.stream().filter("accepted"::equals).count()).isEqualTo(1);
        assertThat(new HashSet<>(statuses)).containsExactlyInAnyOrder("accepted", "duplicate");
        assertThat(usage().at("/charges/0/used").asText()).isEqualTo("30");
    }

    @Test
    void concurrentBatchesSharingEventIdsStoreEachEventOnce() throws Exception {
        // six batches of 50 over 80 ids, sent at once: concurrent batches may share one transaction (group
        // commit), and an id sent by two of them is still accepted once and counted once
        List<Callable<Api.Response>> sends = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            int offset = r * 10;
            sends.add(() -> {
                List<Object> events = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    events.add(call("shared-" + (offset + i) % 80, 1, "inbound", "2026-06-10T10:00:00Z"));
                }
                return s.api.post("/v1/events/batch", Map.of("events", events));
            });
        }
        long accepted = 0;
        long duplicates = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (Future<Api.Response> f : pool.invokeAll(sends)) {
                var body = f.get().json();
                accepted += body.get("accepted").asLong();
                duplicates += body.get("duplicates").asLong();
            }
        }
        assertThat(accepted).isEqualTo(80);
        assertThat(duplicates).isEqualTo(6 * 50 - 80);
        assertThat(usage().at("/charges/0/used").asText()).isEqualTo("80");
    }
}

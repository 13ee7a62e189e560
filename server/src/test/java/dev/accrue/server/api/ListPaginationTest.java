package dev.accrue.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every list answers with the same envelope and pages with limit/cursor (issue 10, point 7). */
class ListPaginationTest {
    static final String QUOTAS = """
            name: quotas
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            features:
              - { code: ai_employees, name: AI employees, type: quota }
              - { code: seats, name: Seats, type: quota }
              - { code: projects, name: Projects, type: quota }
            products:
              - { code: ai, name: AI }
            plans:
              - { code: starter, product: ai, name: Starter, tier: 1, intervals: [{ interval: month }],
                  charges: [{ type: recurring, code: base, name: Starter, monthly_price: { USD: "29.00" } }],
                  entitlements: { quotas: { ai_employees: 2, seats: 3, projects: 4 } } }
            """;

    /**
     * Pages through {@code path} one item at a time and checks the pages hold exactly the items of one big page,
     * in the same order, with {@code has_more}/{@code next_cursor} telling when to stop.
     */
    static List<JsonNode> pagesThrough(Api api, String path, int atLeast) {
        String sep = path.contains("?") ? "&" : "?";
        JsonNode whole = api.get(path + sep + "limit=100").json();
        assertThat(whole.get("object").asText()).isEqualTo("list");
        assertThat(whole.get("has_more").asBoolean()).as(path).isFalse();
        assertThat(whole.get("next_cursor").isNull()).as(path).isTrue();
        List<JsonNode> expected = new ArrayList<>();
        whole.get("data").forEach(expected::add);
        assertThat(expected).as(path).hasSizeGreaterThanOrEqualTo(atLeast);
        List<JsonNode> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get(path + sep + "limit=1" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("data").forEach(paged::add);
            cursor = page.json().get("has_more").asBoolean() ? page.json().get("next_cursor").asText() : null;
            pages++;
        } while (cursor != null && pages <= expected.size());
        assertThat(pages).as(path).isEqualTo(expected.size());
        assertThat(paged).as(path).isEqualTo(expected);
        return expected;
    }

    @Test
    void theListsThatReturnedEverythingAtOncePageLikeTheOthers() {
        Sandbox s = new Sandbox("paging", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String v2 = Sandbox.demoCatalog("voiceagent.yaml").replace("version: 1\neffective_from: 2026-01-01", "version: 2\neffective_from: 2026-09-01");
        assertThat(s.api.postYaml("/v1/catalog/versions", v2).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/test_clocks", Map.of("name", "second", "frozen_time", "2026-01-01T00:00:00Z")).status()).isEqualTo(201);
        String c = s.customer("Pager", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        for (String n : new String[] {"+14155550100", "+14155550101", "+14155550102"}) {
            var r = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", n, "country", "US", "type", "local"));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        for (String bundle : new String[] {"bundle_nexus_300", "bundle_pro_150"}) {
            var r = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", bundle));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        s.advanceTo("2026-06-12T12:00:00Z");
        for (String day : new String[] {"2026-06-10T09:00:00Z", "2026-06-11T07:00:00Z", "2026-06-12T07:00:00Z"}) {
            var r = s.api.post("/v1/events", Map.of("event_id", "call-" + day, "customer_id", c, "metric", "call_seconds", "timestamp", day,
                    "properties", Map.of("duration_seconds", 60, "direction", "inbound")));
            assertThat(r.status()).as(r.toString()).isIn(200, 201, 202);
        }
        String prepaid = prepaidCustomer(s);
        for (String amount : new String[] {"10.00", "20.00", "30.00"}) {
            assertThat(s.api.post("/v1/customers/" + prepaid + "/wallet/top_ups", Map.of("amount", amount, "currency", "USD")).status()).isEqualTo(201);
        }

        pagesThrough(s.api, "/v1/catalog/versions", 2);
        pagesThrough(s.api, "/v1/test_clocks", 2);
        pagesThrough(s.api, "/v1/subscriptions/" + sub + "/numbers", 3);
        pagesThrough(s.api, "/v1/subscriptions/" + sub + "/add_ons", 2);
        pagesThrough(s.api, "/v1/subscriptions/" + sub + "/usage/daily?metric=call_seconds&from=2026-06-01&to=2026-07-01", 3);
        pagesThrough(s.api, "/v1/customers/" + prepaid + "/receipts", 3);
        pagesThrough(s.api, "/v1/emails?customer_id=" + prepaid, 3);
        // the receipts route the README names, tenant-wide and by customer
        List<JsonNode> receipts = pagesThrough(s.api, "/v1/receipts", 3);
        assertThat(receipts.getFirst().get("amount").asText()).isEqualTo("30.00");
        assertThat(pagesThrough(s.api, "/v1/receipts?customer_id=" + prepaid, 3)).isEqualTo(receipts);

        Sandbox q = new Sandbox("paging quotas", QUOTAS, "2026-06-10T08:00:00Z");
        String qsub = q.subscribe(Map.of("customer_id", q.customer("Quota Co", "USD", "UTC"), "plan", "starter")).get("id").asText();
        pagesThrough(q.api, "/v1/subscriptions/" + qsub + "/quotas", 3);

        // a cursor the API did not issue is refused on these lists too
        assertThat(s.api.get("/v1/test_clocks?cursor=bogus").code()).isEqualTo("invalid_cursor");
    }

    @Test
    void theAuditFeedCoversTheTenantAndFiltersByObjectTypeActorAndTime() {
        Sandbox s = new Sandbox("audit feed", Fixtures.CATALOG_V1, "2026-06-10T08:00:00Z");
        String c = s.customer("Audited Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        s.api.patch("/v1/customers/" + c, Map.of("legal_name", "Audited Company"));

        List<JsonNode> all = pagesThrough(s.api, "/v1/audit_events", 4);
        assertThat(all).extracting(e -> e.get("object_type").asText()).contains("catalog_version", "test_clock", "customer", "subscription");
        List<JsonNode> customers = pagesThrough(s.api, "/v1/audit_events?object_type=customer", 2);
        assertThat(customers).allSatisfy(e -> assertThat(e.get("object_id").asText()).isEqualTo(c));
        assertThat(customers).extracting(e -> e.get("action").asText()).containsExactly("customer.updated", "customer.created");
        String actor = all.getFirst().get("actor").asText();
        assertThat(actor).startsWith("api_key:");
        long byThatKey = all.stream().filter(e -> e.get("actor").asText().equals(actor)).count();
        assertThat(byThatKey).isGreaterThanOrEqualTo(4);
        var byActor = s.api.get("/v1/audit_events?actor=" + actor + "&limit=100").json().get("data");
        assertThat(byActor).hasSize((int) byThatKey);
        byActor.forEach(e -> assertThat(e.get("actor").asText()).isEqualTo(actor));
        assertThat(s.api.get("/v1/audit_events?actor=cli:nobody").json().get("data")).isEmpty();
        // time range: [from, to) on occurred_at
        String createdAt = customers.getLast().get("occurred_at").asText();
        var fromCreation = s.api.get("/v1/audit_events?object_type=customer&from=" + createdAt).json().get("data");
        assertThat(fromCreation).hasSize(2);
        var beforeCreation = s.api.get("/v1/audit_events?object_type=customer&to=" + createdAt).json().get("data");
        assertThat(beforeCreation).isEmpty();
        assertThat(s.api.get("/v1/audit_events?object_id=" + sub).json().get("data")).hasSize(1);
        assertThat(s.api.get("/v1/audit_events?from=yesterday").code()).isEqualTo("validation_failed");
        // another tenant sees none of it
        assertThat(new Sandbox("audit other", Fixtures.CATALOG_V1, "2026-06-10T08:00:00Z").api.get("/v1/audit_events?object_type=customer").json().get("data")).isEmpty();
    }

    static String prepaidCustomer(Sandbox s) {
        Map<String, Object> body = Fixtures.customer("Prepaid Pager");
        body.put("currency", "USD");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("account_type", "prepaid");
        body.put("test_clock_id", s.clockId);
        var r = s.api.post("/v1/customers", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }
}

package dev.accrue.server.customer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 13, account hierarchies, mode "separate": each child is invoiced on its own documents (its own address
 * and taxes) and its parent pays them — collected from the parent's card under the parent's terms — over a test clock,
 * whole invoices to the cent; and every refusal (unknown parent, another tenant's, another currency, another clock, a
 * cycle, consolidated invoicing on other billing dates, deleting a parent) changes nothing.
 */
class AccountHierarchyScenarioTest {
    /** One monthly plan at 49.99 a seat: the hierarchy tests' catalog (also ConsolidatedInvoicingScenarioTest's). */
    static final String CATALOG = """
            name: reseller
            version: 1
            effective_from: 2026-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
            plans:
              - code: team
                product: crm
                name: Team
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: seat, name: Seat, monthly_price: { USD: "49.99" } }
            """;
    private static final String CARD = "4242424242424242";

    @Test
    void eachChildIsInvoicedWithItsOwnTaxesAndTheParentsCardPaysToTheCent() {
        Sandbox s = new Sandbox("hierarchy", CATALOG, "2026-06-01T08:00:00Z");
        // sales tax by the buyer's state: the child's invoice is the child's document, taxed where the child is
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "US", "rates", List.of(
                Map.of("country", "US", "region", "PA", "type", "Sales tax", "rate", "0.06"),
                Map.of("country", "US", "region", "NY", "type", "Sales tax", "rate", "0.08875")))).status()).isEqualTo(200);
        String parent = customer(s, "Pinecrest Partners", "NY", "auto_pay", null, null);
        String card = addCard(s, parent);
        // the children pay by transfer on their own; under the parent, the parent's auto-pay decides
        String north = customer(s, "Pinecrest North", "PA", "manual", parent, null);
        String south = customer(s, "Pinecrest South", "NY", "manual", parent, "separate");
        JsonNode northJson = s.api.get("/v1/customers/" + north).json();
        assertThat(northJson.get("parent_id").asText()).isEqualTo(parent);
        assertThat(northJson.get("invoicing").asText()).isEqualTo("separate");
        assertThat(ids(s.api.get("/v1/customers?parent_id=" + parent).json())).containsExactlyInAnyOrder(north, south);
        assertThat(ids(s.api.get("/v1/customers?parent_id=" + north).json())).isEmpty();

        String northSub = s.subscribe(Map.of("customer_id", north, "plan", "team")).get("id").asText();
        String southSub = s.subscribe(Map.of("customer_id", south, "plan", "team", "quantity", 3)).get("id").asText();
        s.advanceTo("2026-06-01T09:00:00Z");
        s.advanceTo("2026-07-01T09:00:00Z");

        // 49.99 + 6 % of it (2.9994 → 3.00); 3 × 49.99 = 149.97 + 8.875 % (13.3098… → 13.31)
        assertThat(invoices(s, northSub)).containsExactly(
                "2026-06-01 paid 52.99 [recurring 49.99, tax 3.00]",
                "2026-07-01 paid 52.99 [recurring 49.99, tax 3.00]");
        assertThat(invoices(s, southSub)).containsExactly(
                "2026-06-01 paid 163.28 [recurring 149.97, tax 13.31]",
                "2026-07-01 paid 163.28 [recurring 149.97, tax 13.31]");
        // every invoice stays the child's; every payment is the parent's, on the parent's card
        for (JsonNode invoice : all(s, "/v1/invoices?subscription_id=" + northSub)) {
            assertThat(invoice.get("customer_id").asText()).isEqualTo(north);
        }
        List<String> paid = new ArrayList<>();
        for (JsonNode p : all(s, "/v1/payments?customer_id=" + parent)) {
            assertThat(p.get("payment_method_id").asText()).isEqualTo(card);
            paid.add(p.get("status").asText() + " " + p.get("amount").asText());
        }
        assertThat(paid).containsExactlyInAnyOrder("succeeded 52.99", "succeeded 52.99", "succeeded 163.28", "succeeded 163.28");
        assertThat(all(s, "/v1/payments?customer_id=" + north)).isEmpty();

        // detached, the child pays its own way again (manual terms: nothing is collected from anyone)
        JsonNode detached = s.api.patch("/v1/customers/" + north, Map.of("parent_id", "")).json();
        assertThat(detached.get("parent_id").isNull()).isTrue();
        assertThat(detached.get("invoicing").isNull()).isTrue();
        s.advanceTo("2026-08-01T09:00:00Z");
        assertThat(invoices(s, northSub).getLast()).isEqualTo("2026-08-01 finalized 52.99 [recurring 49.99, tax 3.00]");
        assertThat(invoices(s, southSub).getLast()).isEqualTo("2026-08-01 paid 163.28 [recurring 149.97, tax 13.31]");
        assertThat(all(s, "/v1/payments?customer_id=" + parent)).hasSize(5);
    }

    @Test
    void aBadParentIsRefusedPreciselyAndChangesNothing() {
        Sandbox s = new Sandbox("hierarchy-bad", CATALOG, "2026-06-01T08:00:00Z");
        String parent = customer(s, "Parent Co", "NY", "auto_pay", null, null);
        String child = customer(s, "Child Co", "NY", "auto_pay", parent, null);
        String grandchild = customer(s, "Grandchild Co", "NY", "auto_pay", child, null);
        int before = ids(s.api.get("/v1/customers?limit=100").json()).size();

        var unknown = s.api.post("/v1/customers", body(s, "Orphan", "NY", "auto_pay", "cus_doesnotexist", null));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");
        assertThat(unknown.text("field")).isEqualTo("parent_id");

        String stranger = TestNode.get().newTenant("hierarchy-stranger").api().post("/v1/customers", Fixtures.customer("Stranger")).text("id");
        var otherTenant = s.api.post("/v1/customers", body(s, "Poacher", "NY", "auto_pay", stranger, null));
        assertThat(otherTenant.status()).isEqualTo(404);
        assertThat(otherTenant.text("field")).isEqualTo("parent_id");

        Map<String, Object> euro = body(s, "Euro Child", "NY", "auto_pay", parent, null);
        euro.put("currency", "EUR");
        var currency = s.api.post("/v1/customers", euro);
        assertThat(currency.status()).isEqualTo(400);
        assertThat(currency.code()).isEqualTo("currency_mismatch");
        assertThat(currency.text("field")).isEqualTo("parent_id");

        Map<String, Object> realTime = body(s, "Real Time Child", "NY", "auto_pay", parent, null);
        realTime.remove("test_clock_id");
        var clock = s.api.post("/v1/customers", realTime);
        assertThat(clock.code()).isEqualTo("validation_failed");
        assertThat(clock.text("field")).isEqualTo("parent_id");

        // consolidated invoicing needs the parent's billing dates (ConsolidatedInvoicingScenarioTest covers each rule)
        Map<String, Object> elsewhere = body(s, "Consolidated Child", "NY", "auto_pay", parent, "consolidated");
        elsewhere.put("time_zone", "America/Chicago");
        var consolidated = s.api.post("/v1/customers", elsewhere);
        assertThat(consolidated.code()).isEqualTo("validation_failed");
        assertThat(consolidated.text("field")).isEqualTo("invoicing");
        assertThat(ids(s.api.get("/v1/customers?limit=100").json())).hasSize(before);

        // the top of the chain under its own grandchild, or an account under itself: a cycle, nothing changed
        var cycle = s.api.patch("/v1/customers/" + parent, Map.of("parent_id", grandchild));
        assertThat(cycle.status()).isEqualTo(409);
        assertThat(cycle.code()).isEqualTo("customer_hierarchy_cycle");
        assertThat(cycle.json().get("cycle").toString()).isEqualTo("[\"" + parent + "\",\"" + grandchild + "\",\"" + child + "\",\"" + parent + "\"]");
        assertThat(s.api.patch("/v1/customers/" + child, Map.of("parent_id", child)).code()).isEqualTo("customer_hierarchy_cycle");
        assertThat(s.api.get("/v1/customers/" + parent).json().get("parent_id").isNull()).isTrue();
        assertThat(s.api.get("/v1/customers/" + child).text("parent_id")).isEqualTo(parent);
        assertThat(s.api.get("/v1/customers/" + parent).json().get("version").asInt()).isEqualTo(1);

        // a parent keeps its currency and cannot be deleted while it pays for children
        var recurrency = s.api.patch("/v1/customers/" + parent, Map.of("currency", "EUR"));
        assertThat(recurrency.code()).isEqualTo("currency_mismatch");
        assertThat(recurrency.text("field")).isEqualTo("currency");
        var delete = s.api.delete("/v1/customers/" + child);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.code()).isEqualTo("customer_has_children");
        assertThat(delete.json().get("child_ids").toString()).isEqualTo("[\"" + grandchild + "\"]");
        // moving a child to another parent of the tenant is allowed; then the former parent may go
        assertThat(s.api.patch("/v1/customers/" + grandchild, Map.of("parent_id", parent)).text("parent_id")).isEqualTo(parent);
        assertThat(s.api.delete("/v1/customers/" + child).status()).isEqualTo(200);
    }

    private static String customer(Sandbox s, String name, String state, String collection, String parentId, String invoicing) {
        var created = s.api.post("/v1/customers", body(s, name, state, collection, parentId, invoicing));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    private static Map<String, Object> body(Sandbox s, String name, String state, String collection, String parentId, String invoicing) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("billing_emails", List.of("ap@" + name.toLowerCase().replace(' ', '-') + ".example"));
        body.put("billing_address", state.equals("PA")
                ? Map.of("line1", "15 Germantown Avenue", "city", "Philadelphia", "region", "PA", "postal_code", "19118", "country", "US")
                : Map.of("line1", "1 Liberty Plaza", "city", "New York", "region", "NY", "postal_code", "10006", "country", "US"));
        body.put("payment_terms", Map.of("collection_method", collection, "net_days", 0));
        body.put("test_clock_id", s.clockId);
        if (parentId != null) {
            body.put("parent_id", parentId);
        }
        if (invoicing != null) {
            body.put("invoicing", invoicing);
        }
        return body;
    }

    private static String addCard(Sandbox s, String customerId) {
        String token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", CARD, "exp_month", 12, "exp_year", 2030, "cvc", "123"))).text("id");
        var method = s.api.post("/v1/customers/" + customerId + "/payment_methods", Map.of("token", token));
        assertThat(method.status()).as(method.toString()).isEqualTo(201);
        return method.text("id");
    }

    /** "issue_date status total [kind amount, …]" per invoice of the subscription, oldest first. */
    private static List<String> invoices(Sandbox s, String subscriptionId) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : all(s, "/v1/invoices?subscription_id=" + subscriptionId).reversed()) {
            List<String> lines = new ArrayList<>();
            i.get("lines").forEach(l -> lines.add(l.get("kind").asText() + " " + l.get("amount").asText()));
            out.add(i.get("issue_date").asText() + " " + i.get("status").asText() + " " + i.get("total").asText() + " " + lines);
        }
        return out;
    }

    private static List<JsonNode> all(Sandbox s, String path) {
        List<JsonNode> out = new ArrayList<>();
        s.api.get(path + (path.contains("?") ? "&" : "?") + "limit=100").json().get("data").forEach(out::add);
        return out;
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("data").forEach(c -> out.add(c.get("id").asText()));
        return out;
    }
}

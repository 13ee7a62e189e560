package dev.accrue.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 12 on the real server over a test clock: a renewal kept as a draft by the tenant's grace hours is
 * regenerated after usage arrived late, a one-off charge was parked and the enterprise price was fixed — same invoice id,
 * whole invoice to the cent, with the coupon, tax and customer credit it had applied undone and applied again exactly
 * once however often it is regenerated; then numbered as usual. Refusals change nothing.
 */
class DraftRegenerationScenarioTest {
    static final String CATALOG = """
            name: drafts
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: api_requests, aggregation: sum, field: count, unit: request }
            products:
              - { code: api, name: API }
            plans:
              - code: team
                product: api
                name: Team
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Platform, monthly_price: { USD: "30.00" } }
                  - { type: metered, code: requests, name: Requests, metric: api_requests,
                      pricing: { model: per_unit, unit_price: { USD: "0.01" } } }
            """;

    @Test
    void aDraftRegeneratedFromTheCurrentStateKeepsItsIdAndAppliesCouponsTaxAndCreditOnce() {
        Sandbox s = new Sandbox("regenerate drafts", CATALOG, "2026-06-01T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "US", "rates", List.of(
                Map.of("country", "US", "type", "Sales tax", "rate", "0.10")))).status()).isEqualTo(200);
        assertThat(s.api.patch("/v1/tenant", Map.of("invoice_grace_hours", 48)).status()).isEqualTo(200);
        String c = s.customer("Late Usage Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team")).get("id").asText();
        assertThat(s.api.post("/v1/coupons", Map.of("code", "ONCE10", "percent_off", "10", "duration", "once", "charges", List.of("base")))
                .status()).isEqualTo(201);
        s.advanceTo("2026-06-05T08:00:00Z"); // June's draft is finalized when its grace is over
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/coupons", Map.of("coupon", "ONCE10")).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/customers/" + c + "/credit_grants", Map.of("amount", "5.00", "currency", "USD", "description", "Goodwill"))
                .status()).isEqualTo(201);
        requests(s, c, "june", "2026-06-05", 1000);

        s.advanceTo("2026-07-01T08:00:00Z");
        var july = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0");
        String draft = july.get("id").asText();
        assertThat(july.get("status").asText()).isEqualTo("draft");
        // 10.00 of June's requests + July's 30.00 − 10 % of the platform fee, 10 % tax on 37.00, 5.00 of customer credit
        assertThat(july.get("total").asText()).isEqualTo("35.70");

        requests(s, c, "june-late", "2026-06-28", 500); // reported after June was invoiced: 5.00 more
        assertThat(s.api.post("/v1/customers/" + c + "/one_off_charges", Map.of("description", "Setup assistance", "amount", "20.00",
                "invoice", "next_invoice", "subscription_id", sub)).status()).isEqualTo(201);
        assertThat(s.api.send("PUT", "/v1/subscriptions/" + sub + "/overrides", Map.of("prices", Map.of("base", Map.of("USD", "25.00"))))
                .status()).isEqualTo(200); // the deal agreed was 25.00

        var regenerated = s.api.withHeader("Idempotency-Key", "regen-july").post("/v1/invoices/" + draft + "/regenerate", null);
        assertThat(regenerated.status()).as(regenerated.toString()).isEqualTo(200);
        assertThat(regenerated.text("id")).isEqualTo(draft);
        assertThat(regenerated.text("status")).isEqualTo("draft");
        List<String> expected = List.of(
                "usage requests 2026-06-01..2026-07-01 10.00",
                "recurring base 2026-07-01..2026-08-01 25.00",
                "one_off standard null..null 20.00",
                "adjustment requests 2026-06-01..2026-07-01 5.00",
                "discount base 2026-07-01..2026-08-01 -2.50",
                "tax Sales tax 2026-07-01..2026-08-01 5.75",
                "credit null 2026-07-01..2026-08-01 -5.00");
        assertThat(lines(regenerated.json())).containsExactlyElementsOf(expected);
        // 10.00 + 25.00 + 20.00 + 5.00 − 2.50 = 57.50, tax 5.75, credit 5.00
        assertThat(regenerated.text("total")).isEqualTo("58.25");
        assertThat(regenerated.text("subtotal")).isEqualTo("57.50");

        // a retry with the same key replays the answer; regenerating again with nothing new writes the same draft: the late
        // usage is not billed twice, the once-only coupon still applies, the credit is drawn once
        var replay = s.api.withHeader("Idempotency-Key", "regen-july").post("/v1/invoices/" + draft + "/regenerate", null);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        var again = s.api.post("/v1/invoices/" + draft + "/regenerate", null);
        assertThat(lines(again.json())).containsExactlyElementsOf(expected);
        assertThat(again.text("total")).isEqualTo("58.25");
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("0.00");
        assertThat(s.api.get("/v1/coupons/ONCE10").json().get("redemptions").asInt()).isEqualTo(1);
        List<String> actions = new ArrayList<>();
        s.api.get("/v1/audit_events?object_id=" + draft).json().get("data").forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).containsOnly("invoice.regenerated");
        assertThat(actions).hasSize(2);

        s.advanceTo("2026-07-03T09:00:00Z");
        var finalized = s.api.get("/v1/invoices/" + draft);
        assertThat(finalized.text("status")).isEqualTo("finalized");
        assertThat(finalized.text("number")).isEqualTo("INV-000002");
        assertThat(lines(finalized.json())).containsExactlyElementsOf(expected);
        var refused = s.api.post("/v1/invoices/" + draft + "/regenerate", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("invoice_not_draft");
        assertThat(s.api.post("/v1/invoices/inv_unknown/regenerate", null).status()).isEqualTo(404);

        // August: the override's 25.00, the once-only coupon spent, no credit left
        s.advanceTo("2026-08-01T08:00:00Z");
        var august = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0");
        String augustId = august.get("id").asText();
        assertThat(august.get("total").asText()).isEqualTo("27.50");
        // a seat more since the draft was written was charged on its own (a proration): repricing the period would charge it twice
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change_quantity", Map.of("quantity", 2)).status()).isEqualTo(200);
        var changed = s.api.post("/v1/invoices/" + augustId + "/regenerate", null);
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.text("code")).isEqualTo("invoice_not_regenerable");
        assertThat(s.api.get("/v1/invoices/" + augustId).text("total")).isEqualTo("27.50");
        // an invoice of its own (a one-off charge invoiced now) is not a period's: void or credit it instead
        String oneOff = s.api.post("/v1/customers/" + c + "/one_off_charges", Map.of("description", "Workshop", "amount", "100.00"))
                .text("invoice_id");
        assertThat(s.api.post("/v1/invoices/" + oneOff + "/regenerate", null).text("code")).isEqualTo("invoice_not_regenerable");
    }

    @Test
    void regenerationsRacingFinalizationsNeverLoseANumberNorChangeAFinalizedInvoice() throws Exception {
        Sandbox s = new Sandbox("regenerate races", CATALOG, "2026-06-01T08:00:00Z");
        assertThat(s.api.patch("/v1/tenant", Map.of("invoice_grace_hours", 48)).status()).isEqualTo(200);
        String c = s.customer("Racing Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team")).get("id").asText();
        String draft = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        assertThat(s.api.post("/v1/customers/" + c + "/one_off_charges", Map.of("description", "Setup", "amount", "20.00",
                "invoice", "next_invoice", "subscription_id", sub)).status()).isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String action = i % 2 == 0 ? "/regenerate" : "/finalize";
            answers.add(pool.submit(() -> {
                var r = s.api.post("/v1/invoices/" + draft + action, null);
                return action + " " + r.status() + (r.status() == 200 ? "" : " " + r.text("code"));
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> f : answers) {
            results.add(f.get());
        }
        pool.shutdown();
        // exactly one finalization; every other request either came first (a regeneration) or found the invoice final
        assertThat(results.stream().filter(r -> r.equals("/finalize 200"))).hasSize(1);
        assertThat(results).allMatch(r -> r.endsWith(" 200") || r.endsWith(" 409 invoice_not_draft"), "answers " + results);
        var invoice = s.api.get("/v1/invoices/" + draft);
        assertThat(invoice.text("number")).isEqualTo("INV-000001");
        // whether a regeneration came before the finalization or none did, the parked charge is billed once
        List<String> lines = lines(invoice.json());
        assertThat(lines).contains("recurring base 2026-06-01..2026-07-01 30.00");
        s.advanceTo("2026-07-01T08:00:00Z");
        long setupLines = s.invoices(sub).stream().mapToLong(i -> i.split("one_off").length - 1).sum();
        assertThat(setupLines).isEqualTo(1);
        String july = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        assertThat(s.api.post("/v1/invoices/" + july + "/finalize", null).text("number")).isEqualTo("INV-000002");
    }

    /** "kind charge_code period_start..period_end amount" of each line. */
    private static List<String> lines(JsonNode invoice) {
        List<String> out = new ArrayList<>();
        invoice.get("lines").forEach(l -> out.add(l.get("kind").asText() + " " + l.get("charge_code").asText() + " "
                + l.get("period_start").asText() + ".." + l.get("period_end").asText() + " " + l.get("amount").asText()));
        return out;
    }

    private static void requests(Sandbox s, String customer, String id, String day, int count) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "api_requests",
                "timestamp", day + "T07:00:00Z", "properties", Map.of("count", count)));
        assertThat(r.text("status")).as(r.toString()).isEqualTo("accepted");
    }
}

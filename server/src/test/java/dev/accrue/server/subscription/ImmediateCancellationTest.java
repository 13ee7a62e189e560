package dev.accrue.server.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** cancellation: {effective: immediate, refund: prorated} — service ends at once, unused days become credit the next invoices consume. */
class ImmediateCancellationTest {
    static final String CATALOG = """
            name: flex
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
              - { code: storage, name: Storage }
            plans:
              - code: flex
                product: voice
                name: Flex
                tier: 1
                alignment: anniversary
                intervals: [{ interval: month }]
                cancellation: { effective: immediate, refund: prorated }
                charges:
                  - { type: recurring, code: base, name: Flex, monthly_price: { USD: "30.00" } }
                  - type: metered
                    code: minutes
                    metric: call_seconds
                    allowances: [{ quantity: 600 }]
                    pricing: { model: per_unit, unit_price: { USD: "0.60" }, per_units: 60 }
              - code: vault
                product: storage
                name: Vault
                tier: 1
                alignment: anniversary
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: vault, name: Vault, monthly_price: { USD: "10.00" } }
            """;

    static List<JsonNode> invoices(Sandbox s, String sub) {
        List<JsonNode> out = new ArrayList<>();
        s.api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data").forEach(out::add);
        return out.reversed();
    }

    static String lines(JsonNode invoice) {
        List<String> out = new ArrayList<>();
        invoice.get("lines").forEach(l -> out.add(l.get("kind").asText() + " " + l.get("amount").asText()));
        return invoice.get("issue_date").asText() + " total " + invoice.get("total").asText() + " " + out;
    }

    @Test
    void serviceEndsAtOnceTheUnusedDaysBecomeCreditAndTheNextInvoicesConsumeIt() {
        Sandbox s = new Sandbox("immediate cancel", CATALOG, "2026-06-01T10:00:00Z");
        String c = s.customer("Flex Co", "USD", "UTC");
        String flex = s.subscribe(Map.of("customer_id", c, "plan", "flex")).get("id").asText();
        String vault = s.subscribe(Map.of("customer_id", c, "plan", "vault")).get("id").asText();
        s.advanceTo("2026-06-11T10:00:00Z");
        // 1,200 seconds: 600 included, 600 over at 0.60 a minute = 6.00, billed in arrears
        var call = s.api.post("/v1/events", Map.of("event_id", "call-1", "customer_id", c, "metric", "call_seconds",
                "timestamp", "2026-06-10T09:00:00Z", "properties", Map.of("duration_seconds", 1200)));
        assertThat(call.status()).as(call.toString()).isIn(200, 201, 202);

        var cancelled = s.api.post("/v1/subscriptions/" + flex + "/cancel", Map.of("reason", "closing the office"));
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("ended");
        assertThat(cancelled.text("ended_on")).isEqualTo("2026-06-11");

        // June 11 → July 1 is 20 of 30 days: 20.00 of credit; the final usage invoice (6.00) consumes 6.00 of it
        List<JsonNode> flexInvoices = invoices(s, flex);
        assertThat(flexInvoices).hasSize(2);
        assertThat(lines(flexInvoices.get(0))).isEqualTo("2026-06-01 total 30.00 [recurring 30.00]");
        assertThat(lines(flexInvoices.get(1))).isEqualTo("2026-06-11 total 0.00 [usage 6.00, credit -6.00]");
        assertThat(flexInvoices.get(1).get("lines").get(1).get("description").asText()).contains("14.00 USD left");
        var credit = s.api.get("/v1/customers/" + c + "/credit");
        assertThat(credit.text("balance")).isEqualTo("14.00");
        assertThat(credit.json().get("entries")).extracting(e -> e.get("kind").asText() + " " + e.get("amount").asText())
                .containsExactly("applied -6.00", "granted 20.00");

        // the next invoices take what is left, never going below zero, and the rest carries forward
        s.advanceTo("2026-08-02T10:00:00Z");
        assertThat(invoices(s, vault)).extracting(ImmediateCancellationTest::lines).containsExactly(
                "2026-06-01 total 10.00 [recurring 10.00]",
                "2026-07-01 total 0.00 [recurring 10.00, credit -10.00]",
                "2026-08-01 total 6.00 [recurring 10.00, credit -4.00]");
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("0.00");
        // nothing more of the cancelled subscription is billed
        assertThat(invoices(s, flex)).hasSize(2);
        // cancelling again is refused: it has ended
        assertThat(s.api.post("/v1/subscriptions/" + flex + "/cancel", null).code()).isEqualTo("subscription_ended");
    }
}

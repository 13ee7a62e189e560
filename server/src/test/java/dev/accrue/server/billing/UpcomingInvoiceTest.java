package dev.accrue.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /v1/subscriptions/{id}/upcoming_invoice: the next invoice as the billing run would issue it, nothing written. */
class UpcomingInvoiceTest {
    static final String CATALOG = """
            name: upcoming
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: team
                product: voice
                name: Team
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: seat, name: Seat, monthly_price: { USD: "10.00" } }
                  - type: metered
                    code: minutes
                    metric: call_seconds
                    allowances: [{ quantity: 600 }]
                    pricing: { model: per_unit, unit_price: { USD: "0.60" }, per_units: 60 }
            """;

    @Test
    void theUpcomingInvoiceIsWhatTheNextBillingDateIssues() {
        Sandbox s = new Sandbox("upcoming", CATALOG, "2026-06-01T10:00:00Z");
        String c = s.customer("Next Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team", "quantity", 3)).get("id").asText();
        s.advanceTo("2026-06-10T10:00:00Z");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change_quantity", Map.of("quantity", 2)).text("timing")).isEqualTo("at_period_end");
        s.api.post("/v1/events", Map.of("event_id", "c1", "customer_id", c, "metric", "call_seconds", "timestamp", "2026-06-09T10:00:00Z",
                "properties", Map.of("duration_seconds", 1200)));

        var upcoming = s.api.get("/v1/subscriptions/" + sub + "/upcoming_invoice");
        assertThat(upcoming.status()).as(upcoming.toString()).isEqualTo(200);
        JsonNode preview = upcoming.json();
        assertThat(preview.get("issue_date").asText()).isEqualTo("2026-07-01");
        assertThat(preview.get("period_start").asText()).isEqualTo("2026-07-01");
        // June's usage so far in arrears (600 s over the allowance: 6.00), July in advance at the scheduled 2 seats
        assertThat(preview.get("lines")).extracting(l -> l.get("kind").asText() + " " + l.get("description").asText() + " " + l.get("amount").asText())
                .containsExactly("usage minutes: 1200 second used, 600 second included, 600 second overage 6.00",
                        "recurring Team — Seat, 2 seats × 10.00 — July 2026 20.00");
        assertThat(preview.get("total").asText()).isEqualTo("26.00");

        // nothing was written: one invoice, the subscription still at 3 seats with 2 pending
        assertThat(s.invoices(sub)).hasSize(1);
        JsonNode now = s.api.get("/v1/subscriptions/" + sub).json();
        assertThat(now.get("quantity").asInt()).isEqualTo(3);
        assertThat(now.get("pending_quantity").asInt()).isEqualTo(2);
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/upcoming_invoice").json()).isEqualTo(preview);

        // and it is exactly what July 1 issues
        s.advanceTo("2026-07-01T10:00:00Z");
        JsonNode july = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0");
        assertThat(july.get("lines")).isEqualTo(preview.get("lines"));
        assertThat(july.get("total")).isEqualTo(preview.get("total"));
        assertThat(s.api.get("/v1/subscriptions/nope/upcoming_invoice").status()).isEqualTo(404);
    }
}

package dev.accrue.server.catalog;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 3 on the real server over a test clock: the subscription's quantity multiplies the per-seat charge only;
 * the platform fee that declares {@code per_unit_quantity: false} is billed once, and more seats prorate only the seats.
 */
class PerUnitQuantityScenarioTest {
    static final String CATALOG = """
            name: seats
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: team, name: Team }
            plans:
              - code: team
                product: team
                name: Team
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: platform, name: Platform, monthly_price: { USD: "50.00" }, per_unit_quantity: false }
                  - { type: recurring, code: seat, name: Seat, monthly_price: { USD: "10.00" } }
            """;

    @Test
    void onlyThePerSeatChargeIsMultipliedAndProratedBySeats() {
        Sandbox s = new Sandbox("seats", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Seated Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team", "quantity", 3)).get("id").asText();
        s.advanceTo("2026-06-16T08:00:00Z");
        var preview = s.api.post("/v1/subscriptions/" + sub + "/change_quantity/preview", Map.of("quantity", 5));
        assertThat(preview.status()).isEqualTo(200);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change_quantity", Map.of("quantity", 5)).status()).isEqualTo(200);
        s.advanceTo("2026-07-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 80.00 [recurring platform 2026-06-01..2026-07-01 50.00, recurring seat 2026-06-01..2026-07-01 30.00]",
                // 2 more seats for June 16-30 (15/30): the platform fee is not per seat, so it is not prorated
                "2026-06-16 10.00 [proration seat 2026-06-16..2026-07-01 10.00]",
                "2026-07-01 100.00 [recurring platform 2026-07-01..2026-08-01 50.00, recurring seat 2026-07-01..2026-08-01 50.00]");
        var july = s.api.get("/v1/invoices?subscription_id=" + sub + "&issued_from=2026-07-01").json().at("/data/0/lines");
        assertThat(july.get(0).get("description").asText()).isEqualTo("Team — Platform — July 2026");
        assertThat(july.get(1).get("description").asText()).isEqualTo("Team — Seat, 5 seats × 10.00 — July 2026");
    }
}

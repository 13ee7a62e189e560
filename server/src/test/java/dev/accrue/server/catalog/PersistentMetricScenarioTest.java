package dev.accrue.server.catalog;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 3 on the real server over a test clock: seats reported as add/remove events carry from month to month
 * and are billed by the time each was held (to the second); a late remove re-prices the closed month; negative
 * adjustments within a sum metric lower the window's usage, never below zero — whole invoices to the cent.
 */
class PersistentMetricScenarioTest {
    static final String CATALOG = """
            name: seats
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: seats, aggregation: persistent, field: user_id, unit: seat }
              - { code: gpu_minutes, aggregation: sum, field: minutes, unit: minute, allow_negative: true }
            products:
              - { code: workspace, name: Workspace }
            plans:
              - code: team
                product: workspace
                name: Team
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Workspace, monthly_price: { USD: "10.00" } }
                  - { type: metered, code: seat_fees, name: Seats, metric: seats, pricing: { model: per_unit, unit_price: { USD: "30.00" } } }
                  - { type: metered, code: gpu, name: GPU time, metric: gpu_minutes, allowances: [{ quantity: 100 }],
                      pricing: { model: per_unit, unit_price: { USD: "0.10" } } }
            """;

    @Test
    void seatsAreBilledByTheTimeEachWasHeldAndCarryAcrossMonths() {
        Sandbox s = new Sandbox("persistent", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Seat Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team")).get("id").asText();
        seat(s, c, "s1", "alice", "add", "2026-06-01T00:00:00Z");
        seat(s, c, "s2", "bob", "add", "2026-06-01T00:00:00Z");
        s.advanceTo("2026-06-20T08:00:00Z");
        seat(s, c, "s3", "bob", "remove", "2026-06-16T00:00:00Z");  // bob: 15 of 30 days
        seat(s, c, "s4", "carol", "add", "2026-06-16T00:00:00Z");   // carol from the 16th
        seat(s, c, "s5", "alice", "add", "2026-06-20T00:00:00Z");   // alice again: already held, changes nothing
        seat(s, c, "s6", "zed", "remove", "2026-06-20T00:00:00Z");  // never added: changes nothing
        gpu(s, c, "g1", "2026-06-10T00:00:00Z", 150);
        gpu(s, c, "g2", "2026-06-12T00:00:00Z", -30);               // refunded minutes: 120 used, 20 over the 100 included
        s.advanceTo("2026-07-05T08:00:00Z");
        seat(s, c, "s7", "carol", "remove", "2026-06-26T00:00:00Z"); // late: carol held 10 June days, not 15, and no July day
        gpu(s, c, "g3", "2026-07-03T00:00:00Z", 20);
        gpu(s, c, "g4", "2026-07-04T00:00:00Z", -50);               // July's minutes net below zero: billed as none
        s.advanceTo("2026-07-11T08:00:00Z");
        seat(s, c, "s8", "dave", "add", "2026-07-11T00:00:00Z");    // 21 of 31 July days
        s.advanceTo("2026-08-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 10.00 [recurring base 2026-06-01..2026-07-01 10.00]",
                // alice 1 + bob 15/30 + carol 15/30 = 2 seats × 30.00; 120 − 100 minutes × 0.10
                "2026-07-01 72.00 [usage seat_fees 2026-06-01..2026-07-01 60.00, usage gpu 2026-06-01..2026-07-01 2.00, "
                        + "recurring base 2026-07-01..2026-08-01 10.00]",
                // June again: 1 + 0.5 + 10/30 seats = 55.00, 5.00 less; July: alice 1 + dave 21/31 = 1.677419354839 × 30.00 = 50.32
                "2026-08-01 55.32 [adjustment seat_fees 2026-06-01..2026-07-01 -5.00, usage seat_fees 2026-07-01..2026-08-01 50.32, "
                        + "usage gpu 2026-07-01..2026-08-01 0.00, recurring base 2026-08-01..2026-09-01 10.00]");
    }

    @Test
    void unitEventsAreValidatedWithPreciseErrors() {
        Sandbox s = new Sandbox("persistent-bad", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Seat Co", "USD", "UTC");
        s.subscribe(Map.of("customer_id", c, "plan", "team"));
        var noOp = post(s, c, "b1", "seats", Map.of("user_id", "alice"));
        assertThat(noOp.text("code")).isEqualTo("missing_field");
        assertThat(noOp.text("field")).isEqualTo("properties.operation");
        var badOp = post(s, c, "b2", "seats", Map.of("user_id", "alice", "operation", "toggle"));
        assertThat(badOp.text("code")).isEqualTo("validation_failed");
        assertThat(badOp.text("field")).isEqualTo("properties.operation");
        assertThat(post(s, c, "b3", "seats", Map.of("operation", "add")).text("field")).isEqualTo("properties.user_id");
        // negative values only where the metric allows them
        assertThat(post(s, c, "b4", "gpu_minutes", Map.of("minutes", -5)).status()).isEqualTo(202);
    }

    private static Api.Response post(Sandbox s, String customer, String id, String metric, Map<String, Object> properties) {
        return s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", metric, "timestamp", "2026-06-01T07:00:00Z",
                "properties", properties));
    }

    private static void seat(Sandbox s, String customer, String id, String user, String operation, String at) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "seats", "timestamp", at,
                "properties", Map.of("user_id", user, "operation", operation)));
        assertThat(r.text("status")).as(r.toString()).isEqualTo("accepted");
    }

    private static void gpu(Sandbox s, String customer, String id, String at, int minutes) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "gpu_minutes", "timestamp", at,
                "properties", Map.of("minutes", minutes)));
        assertThat(r.text("status")).as(r.toString()).isEqualTo("accepted");
    }
}

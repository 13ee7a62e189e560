package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage view prices a period from one row per allowance window and dimension (issue 18 point 4) and keeps nothing
 * between requests: every acknowledged event, an add-on bought and a plan changed show in the very next view — here on a
 * yearly plan whose minutes reset monthly, so the cost so far sums the overage of several windows read in one query.
 */
class UsageViewFreshnessTest {
    private static final String YEARLY = """
            name: yearly
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [direction] }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: annual
                product: voice
                name: Annual
                tier: 1
                intervals: [{ interval: year }]
                charges:
                  - { type: recurring, code: base, name: Annual, monthly_price: { USD: "10.00" } }
                  - { type: metered, code: minutes, name: Minutes, metric: call_seconds, allowances: [{ quantity: 100, reset: month }],
                      pricing: { model: per_unit, unit_price: { USD: "0.60" }, per_units: 60 } }
              - code: annual_plus
                product: voice
                name: Annual Plus
                tier: 2
                intervals: [{ interval: year }]
                charges:
                  - { type: recurring, code: base, name: Annual Plus, monthly_price: { USD: "20.00" } }
                  - { type: metered, code: minutes, name: Minutes, metric: call_seconds, allowances: [{ quantity: 1000, reset: month }],
                      pricing: { model: per_unit, unit_price: { USD: "0.60" }, per_units: 60 } }
              - code: half_cents
                product: voice
                name: Half cents
                tier: 3
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, name: Minutes, metric: call_seconds, pricing: { model: per_unit, unit_price: { USD: "0.005" } } }
            """;

    @Test
    void eachAcknowledgedEventAndAPlanChangeShowInTheNextView() {
        Sandbox s = new Sandbox("fresh views", YEARLY, "2026-01-01T08:00:00Z");
        String c = s.customer("Fresh Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "annual", "alignment", "anniversary")).get("id").asText();
        call(s, c, "jan", 160, "inbound", "2026-01-01T08:00:00Z");
        s.advanceTo("2026-02-10T08:00:00Z");
        JsonNode before = minutes(s, sub);
        assertThat(before.get("used").asText()).isEqualTo("0");
        assertThat(before.get("cost_so_far").asText()).as("January's 60 s over its own 100").isEqualTo("0.60");

        call(s, c, "feb-1", 30, "inbound", "2026-02-10T07:00:00Z");
        JsonNode one = minutes(s, sub);
        assertThat(one.get("used").asText()).isEqualTo("30");
        assertThat(one.get("by_dimension").get("direction=inbound").asText()).isEqualTo("30");

        call(s, c, "feb-2", 100, "outbound", "2026-02-10T07:30:00Z");
        JsonNode two = minutes(s, sub);
        assertThat(two.get("used").asText()).isEqualTo("130");
        assertThat(two.get("remaining").asText()).isEqualTo("0");
        assertThat(two.get("by_dimension").get("direction=outbound").asText()).isEqualTo("100");
        assertThat(two.get("cost_so_far").asText()).as("January's 60 s and February's 30 s over").isEqualTo("0.90");

        var changed = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "annual_plus"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        JsonNode upgraded = minutes(s, sub);
        assertThat(upgraded.get("included").asText()).isEqualTo("1000");
        assertThat(upgraded.get("remaining").asText()).isEqualTo("870");
    }

    /**
     * A view reads its subscription, customer and tenant in one round trip and keeps them only for its own read-only
     * transaction: the tenant's rounding mode changed between two views decides the next one's last cent.
     */
    @Test
    void aChangedRoundingModeShowsInTheNextView() {
        Sandbox s = new Sandbox("fresh settings", YEARLY, "2026-03-10T08:00:00Z");
        String c = s.customer("Cents Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "half_cents", "alignment", "calendar")).get("id").asText();
        call(s, c, "odd", 31, "inbound", "2026-03-10T07:00:00Z");
        assertThat(minutes(s, sub).get("cost_so_far").asText()).as("31 × 0.005 = 0.155, half up").isEqualTo("0.16");

        assertThat(s.api.patch("/v1/tenant", Map.of("rounding_mode", "down")).status()).isEqualTo(200);
        assertThat(minutes(s, sub).get("cost_so_far").asText()).as("the same usage rounded down").isEqualTo("0.15");
        assertThat(s.api.get("/v1/subscriptions/sub_missing/usage").status()).isEqualTo(404);
    }

    private static void call(Sandbox s, String customer, String id, int seconds, String direction, String at) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", at,
                "properties", Map.of("duration_seconds", seconds, "direction", direction)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
    }

    private static JsonNode minutes(Sandbox s, String sub) {
        return s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0");
    }
}

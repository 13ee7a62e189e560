package dev.accrue.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The catalog and helpers the alert scenarios share: two calendar plans of one product, calls grouped by team. */
final class AlertCatalog {
    static final String YAML = """
            name: alerts
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, name: Call seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [team] }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: small
                product: voice
                name: Small
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                usage_alerts: [{ metric: call_seconds, percents: [50, 90] }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" }, proration: never, timing: in_advance }
                  - type: metered
                    code: minutes
                    name: Minutes
                    metric: call_seconds
                    allowances: [{ quantity: 1000, reset: billing_period }]
                    pricing: { model: per_unit, unit_price: { USD: "0.05" } }
                    overage: { policy: charge }
              - code: large
                product: voice
                name: Large
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00" }, proration: never, timing: in_advance }
                  - type: metered
                    code: minutes
                    name: Minutes
                    metric: call_seconds
                    allowances: [{ quantity: 5000, reset: billing_period }]
                    pricing: { model: per_unit, unit_price: { USD: "0.05" } }
                    overage: { policy: charge }
            """;

    private AlertCatalog() {
    }

    static Map<String, Object> call(String id, String customer, String timestamp, int seconds, String team) {
        return team == null
                ? Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", timestamp, "properties",
                Map.of("duration_seconds", seconds))
                : Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", timestamp, "properties",
                Map.of("duration_seconds", seconds, "team", team));
    }

    static void send(Sandbox s, Map<String, Object> event) {
        var r = s.api.post("/v1/events", event);
        if (r.status() != 202) {
            throw new AssertionError("event refused: " + r);
        }
    }

    /** The customer's fired alerts of one kind, as "audience threshold window_start", oldest first, once at least {@code n} are there. */
    static List<String> awaitAlerts(Sandbox s, String customer, String kind, int n) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<String> out;
        do {
            out = alerts(s, customer, kind);
            if (out.size() >= n) {
                return out;
            }
            sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + n + " " + kind + " alerts within 15 s, got " + out);
    }

    static List<String> alerts(Sandbox s, String customer, String kind) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : s.api.get("/v1/customers/" + customer + "/alerts?limit=100").json().get("data")) {
            if (a.get("kind").asText().equals(kind)) {
                out.addFirst(a.get("audience").asText() + " " + a.get("threshold").asText() + " " + a.get("window_start").asText());
            }
        }
        return out;
    }

    static JsonNode alert(Sandbox s, String customer, String kind, String threshold) {
        for (JsonNode a : s.api.get("/v1/customers/" + customer + "/alerts?limit=100").json().get("data")) {
            if (a.get("kind").asText().equals(kind) && a.get("threshold").asText().equals(threshold)) {
                return a;
            }
        }
        throw new AssertionError("no " + kind + " alert at " + threshold);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

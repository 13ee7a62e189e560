package dev.accrue.server.billing;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 5 on the real server over a test clock: usage that crosses a threshold is invoiced at once, each
 * progressive invoice billing what the earlier ones did not, and the period-end invoice bills the whole period and
 * deducts them — per billing period on a plan, and lifetime thresholds set on one subscription's overrides; a late event
 * of a closed period is an adjustment as usual. Whole invoices to the cent.
 */
class ProgressiveBillingScenarioTest {
    static final String CATALOG = """
            name: progressive
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: requests, aggregation: sum, field: n, unit: request }
            products:
              - { code: api, name: API }
            plans:
              - code: heavy
                product: api
                name: Heavy
                alignment: calendar
                intervals: [{ interval: month }]
                progressive_billing: { thresholds: [{ USD: "20.00" }, { USD: "50.00" }], recurring: { USD: "50.00" } }
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" } }
                  - { type: metered, code: requests, name: Requests, metric: requests, pricing: { model: per_unit, unit_price: { USD: "0.10" } } }
              - code: flex
                product: api
                name: Flex
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" } }
                  - { type: metered, code: requests, name: Requests, metric: requests, pricing: { model: per_unit, unit_price: { USD: "0.10" } } }
            """;

    @Test
    void crossingAPeriodThresholdInvoicesTheUsageToDateAndThePeriodEndDeductsIt() {
        Sandbox s = new Sandbox("progressive", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Heavy Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "heavy")).get("id").asText();
        requests(s, c, "r1", "2026-06-05", 150, "2026-06-05T08:00:00Z");   // 15.00: below 20.00
        requests(s, c, "r2", "2026-06-08", 100, "2026-06-08T08:00:00Z");   // 25.00: level 1
        requests(s, c, "r3", "2026-06-12", 300, "2026-06-12T08:00:00Z");   // 55.00: level 2
        requests(s, c, "r4", "2026-06-20", 400, "2026-06-20T08:00:00Z");   // 95.00: still level 2 (the next is 100.00)
        requests(s, c, "r4", "2026-06-20", 400, "2026-06-21T08:00:00Z");   // a retry: a duplicate, nothing more
        requests(s, c, "r5", "2026-06-25", 100, "2026-07-03T08:00:00Z");   // late for June, sent in July
        requests(s, c, "r6", "2026-07-10", 600, "2026-07-10T08:00:00Z");   // July: 60.00, level 2 of July
        s.advanceTo("2026-08-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 10.00 [recurring base 2026-06-01..2026-07-01 10.00]",
                "2026-06-08 25.00 [progressive requests 2026-06-01..2026-07-01 25.00]",
                "2026-06-12 30.00 [progressive requests 2026-06-01..2026-07-01 30.00]",
                // June's 950 requests in full, less the 55.00 invoiced progressively; July's base
                "2026-07-01 50.00 [progressive requests 2026-06-01..2026-07-01 -25.00, progressive requests 2026-06-01..2026-07-01 -30.00, "
                        + "usage requests 2026-06-01..2026-07-01 95.00, recurring base 2026-07-01..2026-08-01 10.00]",
                "2026-07-10 60.00 [progressive requests 2026-07-01..2026-08-01 60.00]",
                // the late June event as an adjustment; July in full less its progressive invoice
                "2026-08-01 20.00 [progressive requests 2026-07-01..2026-08-01 -60.00, adjustment requests 2026-06-01..2026-07-01 10.00, "
                        + "usage requests 2026-07-01..2026-08-01 60.00, recurring base 2026-08-01..2026-09-01 10.00]");
    }

    @Test
    void lifetimeThresholdsOnOneSubscriptionCountUsageAcrossPeriods() {
        Sandbox s = new Sandbox("progressive-lifetime", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Flex Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "flex")).get("id").asText();
        assertThat(s.api.send("PUT", "/v1/subscriptions/" + sub + "/overrides", Map.of("progressive_billing",
                Map.of("thresholds", List.of(Map.of("USD", "30.00")), "recurring", Map.of("USD", "100.00"), "scope", "lifetime"))).status())
                .isEqualTo(200);
        requests(s, c, "r1", "2026-06-10", 400, "2026-06-10T08:00:00Z");   // 40.00 in a lifetime: level 1 (30.00)
        requests(s, c, "r2", "2026-07-10", 800, "2026-07-10T08:00:00Z");   // 40.00 invoiced + 80.00: 120.00, below 130.00
        requests(s, c, "r3", "2026-07-15", 200, "2026-07-15T08:00:00Z");   // 40.00 + 100.00 = 140.00: level 2
        s.advanceTo("2026-08-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 10.00 [recurring base 2026-06-01..2026-07-01 10.00]",
                "2026-06-10 40.00 [progressive requests 2026-06-01..2026-07-01 40.00]",
                "2026-07-01 10.00 [progressive requests 2026-06-01..2026-07-01 -40.00, usage requests 2026-06-01..2026-07-01 40.00, "
                        + "recurring base 2026-07-01..2026-08-01 10.00]",
                "2026-07-15 100.00 [progressive requests 2026-07-01..2026-08-01 100.00]",
                "2026-08-01 10.00 [progressive requests 2026-07-01..2026-08-01 -100.00, usage requests 2026-07-01..2026-08-01 100.00, "
                        + "recurring base 2026-08-01..2026-09-01 10.00]");
    }

    private static void requests(Sandbox s, String customer, String id, String day, int n, String sentAt) {
        s.advanceTo(sentAt);
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "requests", "timestamp", day + "T07:00:00Z",
                "properties", Map.of("n", n)));
        assertThat(r.text("status")).as(r.toString()).isIn("accepted", "duplicate");
    }
}

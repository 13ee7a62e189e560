package dev.accrue.server.catalog;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 1 on the real server over a test clock: a charge's spending minimum and the plan's minimum commitment
 * settled when each period closes, prorated by day on the calendar stub and on the period an end cuts, re-settled when
 * late usage changes a billed period — whole invoices, to the cent.
 */
class MinimumCommitmentScenarioTest {
    static final String CATALOG = """
            name: minimums
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: api_requests, aggregation: sum, field: count, unit: request }
            products:
              - { code: api, name: API }
            plans:
              - code: growth
                product: api
                name: Growth
                alignment: calendar
                intervals: [{ interval: month }]
                minimum_commitment: { USD: "100.00" }
                charges:
                  - { type: recurring, code: base, name: Platform fee, monthly_price: { USD: "20.00" } }
                  - { type: metered, code: requests, name: Requests, metric: api_requests,
                      pricing: { model: per_unit, unit_price: { USD: "0.01" } }, minimum_spend: { USD: "50.00" } }
            """;

    @Test
    void shortfallsAreTrueUpsProratedOnPartialPeriodsAndResettledWhenLateUsageArrives() {
        Sandbox s = new Sandbox("minimums", CATALOG, "2026-06-16T08:00:00Z");
        String c = s.customer("Committed Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "growth")).get("id").asText();
        s.advanceTo("2026-06-20T08:00:00Z");
        requests(s, c, "june", "2026-06-20", 1000);
        s.advanceTo("2026-07-10T08:00:00Z");
        requests(s, c, "july", "2026-07-10", 8000);
        s.advanceTo("2026-08-10T08:00:00Z");
        requests(s, c, "august", "2026-08-10", 6000);
        s.advanceTo("2026-09-02T08:00:00Z");
        requests(s, c, "august-late", "2026-08-30", 1000); // reported on Sep 2, for a period already invoiced
        s.advanceTo("2026-10-05T08:00:00Z");
        requests(s, c, "october", "2026-10-05", 500);
        s.advanceTo("2026-10-16T08:00:00Z");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/end", Map.of()).status()).isEqualTo(200);
        s.advanceTo("2026-10-17T08:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                // June 16-30, a 15/30 stub: the platform fee in advance
                "2026-06-16 10.00 [recurring base 2026-06-16..2026-07-01 10.00]",
                // June closes: 10.00 of requests below the prorated minimum 25.00 (15.00 true-up); the period's fees
                // 10.00 + 10.00 + 15.00 = 35.00 below the prorated commitment 50.00 (15.00 true-up)
                "2026-07-01 60.00 [usage requests 2026-06-16..2026-07-01 10.00, true_up requests 2026-06-16..2026-07-01 15.00, "
                        + "true_up minimum_commitment 2026-06-16..2026-07-01 15.00, recurring base 2026-07-01..2026-08-01 20.00]",
                // July: 80.00 of requests reach the minimum, and 20.00 + 80.00 the commitment exactly: no true-up
                "2026-08-01 100.00 [usage requests 2026-07-01..2026-08-01 80.00, recurring base 2026-08-01..2026-09-01 20.00]",
                // August: 60.00 of requests; fees 80.00 fall 20.00 short of the commitment
                "2026-09-01 100.00 [usage requests 2026-08-01..2026-09-01 60.00, true_up minimum_commitment 2026-08-01..2026-09-01 20.00, "
                        + "recurring base 2026-09-01..2026-10-01 20.00]",
                // 1,000 late August requests: +10.00 of usage, 10.00 less of August's commitment true-up; September's 20.00 fee and
                // no usage fall 80.00 short of the commitment, 50.00 of it the requests' minimum
                "2026-10-01 100.00 [adjustment requests 2026-08-01..2026-09-01 10.00, adjustment minimum_commitment 2026-08-01..2026-09-01 -10.00, "
                        + "usage requests 2026-09-01..2026-10-01 0.00, true_up requests 2026-09-01..2026-10-01 50.00, "
                        + "true_up minimum_commitment 2026-09-01..2026-10-01 30.00, recurring base 2026-10-01..2026-11-01 20.00]",
                // ended on Oct 16 (final invoice at the next advance): 15/31 of October served; requests 5.00 against 24.19 (50.00 x 15/31), commitment 48.39
                // (100.00 x 15/31) against 9.68 of the platform fee's served days + 5.00 + 19.19
                "2026-10-17 38.71 [usage requests 2026-10-01..2026-10-16 5.00, true_up requests 2026-10-01..2026-10-16 19.19, "
                        + "true_up minimum_commitment 2026-10-01..2026-10-16 14.52]");
    }

    private static void requests(Sandbox s, String customer, String id, String day, int count) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "api_requests",
                "timestamp", day + "T07:00:00Z", "properties", Map.of("count", count)));
        assertThat(r.text("status")).as(r.toString()).isEqualTo("accepted");
    }
}

package dev.accrue.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.accrue.server.alert.AlertCatalog.alerts;
import static dev.accrue.server.alert.AlertCatalog.awaitAlerts;
import static dev.accrue.server.alert.AlertCatalog.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets of calendar months on a subscription billed from the 15th: across the month boundary in the middle of a
 * billing period, each month's actual is its own (the period's fee in the month it starts, usage charges in the month
 * the usage is dated in), alerts fire once per month, and the month's cost allocation adds up to its total while the
 * months of the billing period add up to the period's charges.
 */
class CalendarMonthBudgetsTest {
    private static final String YAML = """
            name: monthly budgets
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, name: Call seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [team] }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: mid_month
                product: voice
                name: Mid-month
                alignment: anniversary
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" }, proration: never, timing: in_advance }
                  - type: metered
                    code: minutes
                    name: Minutes
                    metric: call_seconds
                    allowances: [{ quantity: 1000, reset: billing_period }]
                    pricing: { model: per_unit, unit_price: { USD: "0.05" } }
                    overage: { policy: charge }
            """;

    @Test
    void calendarMonthBudgetsFollowTheMonthAcrossABillingPeriodThatSpansTwo() {
        Sandbox s = new Sandbox("calendar month budgets", YAML, "2026-06-15T08:00:00Z");
        String c = s.customer("Monthly", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "mid_month")).get("id").asText(); // billed June 15 - July 15, ...
        String path = "/v1/customers/" + c + "/budgets";
        var overall = s.api.post(path, Map.of("amount", "100.00", "currency", "USD", "period", "calendar_month", "alert_percents", List.of(50)));
        assertThat(overall.status()).as(overall.body()).isEqualTo(201);
        assertThat(overall.json().get("period").asText()).isEqualTo("calendar_month");
        assertThat(s.api.post(path, Map.of("amount", "40.00", "currency", "USD", "period", "calendar_month", "dimension", "team",
                "dimension_value", "support", "alert_percents", List.of(100))).status()).isEqualTo(201);

        // June 20: 800 s inside the allowance; June's actual is the fee of the period that began on June 15
        s.advanceTo("2026-06-20T12:00:00Z");
        AlertCatalog.send(s, call("m1", c, "2026-06-20T11:00:00Z", 800, "support"));
        AlertCatalog.sleep(2_500);
        assertThat(budgets(s, path)).containsExactly("null 10.00 2026-06-01 2026-07-01 calendar_month",
                "support 0.00 2026-06-01 2026-07-01 calendar_month");
        assertThat(alerts(s, c, "budget_threshold")).isEmpty();

        // July 2, the same billing period: 1,200 s for support and 400 for sales take it to 2,400 s, 1,400 past the
        // allowance = 70.00 — all of it July's (June's 800 s cost nothing); support's share is 1,200 of July's 1,600 s
        s.advanceTo("2026-07-02T12:00:00Z");
        AlertCatalog.send(s, call("m2", c, "2026-07-02T10:00:00Z", 1200, "support"));
        AlertCatalog.send(s, call("m3", c, "2026-07-02T10:05:00Z", 400, "sales"));
        assertThat(awaitAlerts(s, c, "budget_threshold", 2)).containsExactlyInAnyOrder("customer 50% 2026-07-01", "customer 100% 2026-07-01");
        assertThat(budgets(s, path)).containsExactly("null 70.00 2026-07-01 2026-08-01 calendar_month",
                "support 52.50 2026-07-01 2026-08-01 calendar_month");

        // the months' reports add up to their totals, and June + July to the billing period's charges
        JsonNode june = allocation(s, sub, "2026-06-20");
        JsonNode july = allocation(s, sub, "2026-07-02");
        assertThat(parts(june)).as("800 s inside the allowance cost nothing").containsExactly("unassigned 0.00", "shared 10.00");
        assertThat(parts(july)).containsExactly("sales 17.50", "support 52.50", "unassigned 0.00", "shared 0.00");
        assertThat(sum(june)).isEqualByComparingTo(june.get("total").asText());
        assertThat(sum(july)).isEqualByComparingTo(july.get("total").asText());
        JsonNode period = s.api.get("/v1/subscriptions/" + sub + "/cost_allocation?dimension=team&date=2026-07-02").json();
        assertThat(period.get("period_start").asText()).isEqualTo("2026-06-15");
        assertThat(new BigDecimal(june.get("total").asText()).add(new BigDecimal(july.get("total").asText())))
                .isEqualByComparingTo(period.get("total").asText()).isEqualByComparingTo("80.00");

        // July 16: the next billing period began in July, its fee is July's; no alert fires twice in the month
        s.advanceTo("2026-07-16T12:00:00Z");
        AlertCatalog.send(s, call("m4", c, "2026-07-16T10:00:00Z", 10, "sales"));
        AlertCatalog.sleep(2_500);
        assertThat(budgets(s, path)).containsExactly("null 80.00 2026-07-01 2026-08-01 calendar_month",
                "support 52.50 2026-07-01 2026-08-01 calendar_month");
        assertThat(alerts(s, c, "budget_threshold")).hasSize(2);
    }

    @Test
    void anUnknownBudgetPeriodIsRefusedAndChangesNothing() {
        Sandbox s = new Sandbox("bad budget period", YAML, "2026-06-15T08:00:00Z");
        String c = s.customer("Weekly", "USD", "UTC");
        String path = "/v1/customers/" + c + "/budgets";
        var weekly = s.api.post(path, Map.of("amount", "100.00", "currency", "USD", "period", "week"));
        assertThat(weekly.status()).as(weekly.body()).isEqualTo(400);
        assertThat(weekly.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(weekly.json().get("field").asText()).isEqualTo("period");
        assertThat(s.api.get(path).json().get("data")).isEmpty();
        var plain = s.api.post(path, Map.of("amount", "100.00", "currency", "USD"));
        assertThat(plain.json().get("period").asText()).as("the default").isEqualTo("billing_period");
    }

    private static List<String> budgets(Sandbox s, String path) {
        List<String> out = new ArrayList<>();
        s.api.get(path).json().get("data").forEach(b -> out.add(b.get("dimension_value").asText() + " " + b.get("actual").asText() + " "
                + b.get("period_start").asText() + " " + b.get("period_end").asText() + " " + b.get("period").asText()));
        return out;
    }

    private static JsonNode allocation(Sandbox s, String sub, String date) {
        var r = s.api.get("/v1/subscriptions/" + sub + "/cost_allocation?dimension=team&period=calendar_month&date=" + date);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> parts(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("parts").forEach(p -> out.add(p.get("value").asText() + " " + p.get("amount").asText()));
        return out;
    }

    private static BigDecimal sum(JsonNode report) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode p : report.get("parts")) {
            sum = sum.add(new BigDecimal(p.get("amount").asText()));
        }
        return sum;
    }
}

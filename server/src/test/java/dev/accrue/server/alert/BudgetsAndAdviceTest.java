package dev.accrue.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.accrue.server.alert.AlertCatalog.awaitAlerts;
import static dev.accrue.server.alert.AlertCatalog.call;
import static dev.accrue.server.alert.AlertCatalog.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Budgets against the period's charges split by team, their alerts, their refusals, and plan-fit advice checked against the invoices. */
class BudgetsAndAdviceTest {

    @Test
    void budgetsTrackEachTeamsShareOfThePeriodsChargesAndAlertOnce() {
        Sandbox s = new Sandbox("budgets", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Teams", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "small")).get("id").asText();
        String path = "/v1/customers/" + c + "/budgets";
        var support = s.api.post(path, Map.of("amount", "50.00", "currency", "USD", "dimension", "team", "dimension_value", "support",
                "alert_percents", List.of(50, 100)));
        assertThat(support.status()).as(support.body()).isEqualTo(201);
        assertThat(s.api.post(path, Map.of("amount", "100.00", "currency", "USD")).status()).isEqualTo(201);

        // 1,500 s for support, 400 for sales, 100 without a team: 2,000 s, 1,000 past the allowance at 0.05 = 50.00
        var batch = s.api.post("/v1/events/batch", Map.of("events", List.of(call("b1", c, "2026-06-01T07:00:00Z", 1500, "support"),
                call("b2", c, "2026-06-01T07:01:00Z", 400, "sales"), call("b3", c, "2026-06-01T07:02:00Z", 100, null))));
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(3);
        JsonNode report = s.api.get("/v1/subscriptions/" + sub + "/cost_allocation?dimension=team").json();
        assertThat(report.get("total").asText()).isEqualTo("60.00"); // the 10.00 base fee and 50.00 of usage
        List<String> parts = new ArrayList<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode p : report.get("parts")) {
            parts.add(p.get("value").asText() + " " + p.get("amount").asText());
            sum = sum.add(new BigDecimal(p.get("amount").asText()));
        }
        assertThat(parts).containsExactly("sales 10.00", "support 37.50", "unassigned 2.50", "shared 10.00");
        assertThat(sum).isEqualByComparingTo(report.get("total").asText());

        List<String> budgets = new ArrayList<>();
        s.api.get(path).json().get("data").forEach(b -> budgets.add(b.get("dimension_value").asText() + " " + b.get("actual").asText() + " "
                + b.get("percent_used").asText() + " " + b.get("remaining").asText() + " " + b.get("period_start").asText()));
        assertThat(budgets).containsExactly("null 60.00 60.00 40.00 2026-06-01", "support 37.50 75.00 12.50 2026-06-01");
        // support passed 50 % of its budget, the overall budget passed its default 80 %? no: 60 %
        assertThat(awaitAlerts(s, c, "budget_threshold", 1)).containsExactly("customer 50% 2026-06-01");
        JsonNode data = s.api.get("/v1/customers/" + c + "/alerts?limit=100").json().get("data").get(0).get("data");
        assertThat(data.get("actual").asText()).isEqualTo("37.50");
        assertThat(data.get("dimension_value").asText()).isEqualTo("support");

        send(s, call("b4", c, "2026-06-01T07:03:00Z", 600, "sales")); // sales +30.00: overall 90.00 = 90 %, past 80 %
        assertThat(awaitAlerts(s, c, "budget_threshold", 2)).contains("customer 80% 2026-06-01");
        AlertCatalog.sleep(2_000);
        assertThat(AlertCatalog.alerts(s, c, "budget_threshold")).hasSize(2);
    }

    @Test
    void aBudgetInAnotherCurrencyOrWithBadPercentagesIsRefusedAndChangesNothing() {
        Sandbox s = new Sandbox("bad budgets", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Strict", "USD", "UTC");
        String path = "/v1/customers/" + c + "/budgets";
        var euro = s.api.post(path, Map.of("amount", "100.00", "currency", "EUR"));
        assertThat(euro.status()).isEqualTo(400);
        assertThat(euro.json().get("code").asText()).isEqualTo("currency_mismatch");
        for (var bad : List.of(List.of(0), List.of(80, 1001), List.of(0.5))) {
            var r = s.api.post(path, Map.of("amount", "100.00", "currency", "USD", "alert_percents", bad));
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("field").asText()).isEqualTo("alert_percents[" + (bad.size() - 1) + "]");
        }
        var half = s.api.post(path, Map.of("amount", "100.00", "currency", "USD", "dimension", "team"));
        assertThat(half.json().get("field").asText()).isEqualTo("dimension_value");
        var cents = s.api.post(path, Map.of("amount", "100.001", "currency", "USD"));
        assertThat(cents.json().get("code").asText()).isEqualTo("invalid_amount");
        assertThat(s.api.get(path).json().get("data")).isEmpty();
        assertThat(s.api.post(path, Map.of("amount", "100.00", "currency", "USD")).status()).isEqualTo(201);
        assertThat(s.api.post(path, Map.of("amount", "200.00", "currency", "USD")).status()).isEqualTo(409);
    }

    @Test
    void planAdviceRecommendsTheCheapestPlanWithFiguresThatMatchTheInvoices() {
        Sandbox s = new Sandbox("plan advice", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Outgrown", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "small")).get("id").asText();
        // 1,800 s in June and 1,900 in July on 1,000 included: 180 % and 190 %
        s.advanceTo("2026-06-10T08:00:00Z");
        send(s, call("a1", c, "2026-06-10T07:00:00Z", 1800, null));
        s.advanceTo("2026-07-10T08:00:00Z");
        send(s, call("a2", c, "2026-07-10T07:00:00Z", 1900, null));
        s.advanceTo("2026-08-02T08:00:00Z");

        JsonNode advice = s.api.get("/v1/customers/" + c + "/plan_advice").json().at("/data/0");
        assertThat(advice.get("current_plan").asText()).isEqualTo("small");
        assertThat(advice.at("/fit/0/signal").asText()).isEqualTo("high");
        assertThat(advice.at("/fit/0/periods/0/percent_used").asText()).isEqualTo("180.00");
        assertThat(advice.get("recommended_plan").asText()).isEqualTo("large");
        // small: 10.00 + 800 × 0.05 = 50.00 in June, 10.00 + 45.00 in July; large: 30.00 each month, all within 5,000 s
        assertThat(advice.get("savings").asText()).isEqualTo("45.00");
        List<String> plans = new ArrayList<>();
        advice.get("plans").forEach(p -> plans.add(p.get("plan").asText() + " " + p.get("total").asText() + " " + p.get("current").asBoolean()));
        assertThat(plans).containsExactly("large 60.00 false", "small 105.00 true");

        // the current plan's figures are what the invoices charged for each period: its recurring line (in advance) and its usage line (in arrears)
        JsonNode small = advice.get("plans").get(1);
        for (JsonNode period : small.get("periods")) {
            BigDecimal invoiced = BigDecimal.ZERO;
            for (JsonNode invoice : s.api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data")) {
                for (JsonNode line : invoice.get("lines")) {
                    if (line.get("period_start").asText().equals(period.get("period_start").asText())) {
                        invoiced = invoiced.add(new BigDecimal(line.get("amount").asText()));
                    }
                }
            }
            assertThat(invoiced).as("invoiced for the period from %s", period.get("period_start").asText())
                    .isEqualByComparingTo(period.get("total").asText());
        }
    }

    @Test
    void aGoodFitRecommendsNothing() {
        Sandbox s = new Sandbox("good fit", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Fitting", "USD", "UTC");
        s.subscribe(Map.of("customer_id", c, "plan", "small"));
        s.advanceTo("2026-06-10T08:00:00Z");
        send(s, call("f1", c, "2026-06-10T07:00:00Z", 700, null));
        s.advanceTo("2026-07-10T08:00:00Z");
        send(s, call("f2", c, "2026-07-10T07:00:00Z", 600, null));
        s.advanceTo("2026-08-02T08:00:00Z");
        JsonNode advice = s.api.get("/v1/customers/" + c + "/plan_advice").json().at("/data/0");
        assertThat(advice.get("recommended_plan").isNull()).isTrue();
        assertThat(advice.at("/fit/0/signal").isNull()).isTrue();
        assertThat(advice.get("plans")).hasSize(2);
    }
}

package dev.accrue.server.catalog;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 8 on the real server over a test clock: an interval change that takes effect now credits the unused
 * part of the paid period, closes what the cut period served (in-arrears fees, usage) and bills the new interval's first
 * period at once, from the change day; the change at period end stays the default.
 */
class IntervalChangeNowScenarioTest {
    static final String CATALOG = """
            name: intervals
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: calls, aggregation: sum, field: seconds, unit: second }
            products:
              - { code: crm, name: CRM }
            plans:
              - code: team
                product: crm
                name: Team
                intervals: [{ interval: month }, { interval: year, discount_percent: 10 }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00" } }
                  - { type: recurring, code: support, name: Support, monthly_price: { USD: "5.00" }, timing: in_arrears }
                  - { type: metered, code: calls, name: Calls, metric: calls, pricing: { model: per_unit, unit_price: { USD: "0.01" } } }
            """;

    @Test
    void monthlyToYearlyNowCreditsTheUnusedDaysAndBillsTheYearFromTheChangeDay() {
        Sandbox s = new Sandbox("intervals", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Growing Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team")).get("id").asText();
        s.advanceTo("2026-06-05T08:00:00Z");
        assertThat(s.api.post("/v1/events", Map.of("event_id", "e1", "customer_id", c, "metric", "calls", "timestamp", "2026-06-04T10:00:00Z",
                "properties", Map.of("seconds", 250))).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-06-11T08:00:00Z");
        // the preview is the change done and rolled back: the invoice it would issue, and nothing written
        var preview = s.api.post("/v1/subscriptions/" + sub + "/change_interval/preview", Map.of("interval", "year", "effective", "immediately"));
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.text("timing")).isEqualTo("immediate");
        assertThat(preview.text("effective_on")).isEqualTo("2026-06-11");
        assertThat(preview.text("total")).isEqualTo("308.17");
        List<String> previewed = new ArrayList<>();
        preview.json().get("lines").forEach(l -> previewed.add(l.get("charge_code").asText() + " " + l.get("amount").asText()));
        assertThat(previewed).containsExactly("calls 2.50", "support 1.67", "base -20.00", "base 324.00");
        assertThat(preview.json().at("/subscription/interval").asText()).isEqualTo("year");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("interval")).isEqualTo("month");
        assertThat(s.invoices(sub)).hasSize(1);
        var atPeriodEnd = s.api.post("/v1/subscriptions/" + sub + "/change_interval/preview", Map.of("interval", "year"));
        assertThat(atPeriodEnd.text("timing")).isEqualTo("at_period_end");
        assertThat(atPeriodEnd.text("effective_on")).isEqualTo("2026-07-01");
        assertThat(atPeriodEnd.json().at("/subscription/pending_interval").asText()).isEqualTo("year");
        assertThat(s.api.get("/v1/subscriptions/" + sub).json().get("pending_interval").isNull()).isTrue();
        var changed = s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "year", "effective", "immediately"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.text("interval")).isEqualTo("year");
        assertThat(changed.json().get("pending_interval").isNull()).isTrue();
        s.advanceTo("2027-06-11T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 30.00 [recurring base 2026-06-01..2026-07-01 30.00]",
                // June 1–10 served: calls and 10/30 of support; 20/30 of June's 30.00 back; the year at 30 × 12 × 0.9
                "2026-06-11 308.17 [usage calls 2026-06-01..2026-06-11 2.50, recurring support 2026-06-01..2026-06-11 1.67, "
                        + "proration base 2026-06-11..2026-07-01 -20.00, recurring base 2026-06-11..2027-06-11 324.00]",
                "2027-06-11 378.00 [usage calls 2026-06-11..2027-06-11 0.00, recurring support 2026-06-11..2027-06-11 54.00, recurring base 2027-06-11..2028-06-11 324.00]");
        var june11 = s.api.get("/v1/invoices?subscription_id=" + sub + "&issued_from=2026-06-11&issued_before=2026-06-12").json().at("/data/0/lines/2");
        assertThat(june11.get("description").asText()).isEqualTo("Unused time on Team — Base (20/30 days), moving from month to year billing");
    }

    @Test
    void yearlyToMonthlyNowCarriesTheCreditBeyondTheInvoiceToTheNextOnes() {
        Sandbox s = new Sandbox("intervals", CATALOG, "2026-01-01T08:00:00Z");
        String c = s.customer("Shrinking Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team", "interval", "year")).get("id").asText();
        s.advanceTo("2026-04-01T08:00:00Z");
        // at period end by default: scheduled, nothing billed
        var scheduled = s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "month"));
        assertThat(scheduled.text("pending_interval")).isEqualTo("month");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "month", "effective", "immediately")).status())
                .isEqualTo(200);
        s.advanceTo("2026-06-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-01-01 324.00 [recurring base 2026-01-01..2027-01-01 324.00]",
                // Jan 1 – Mar 31 served (90/365 of 54.00 support); Apr 1 – Dec 31 unused (275/365 of 324.00 = 244.11) back;
                // April at 30.00: 13.32 − 244.11 + 30.00 = −200.79, carried to customer credit
                "2026-04-01 0.00 [usage calls 2026-01-01..2026-04-01 0.00, recurring support 2026-01-01..2026-04-01 13.32, proration base 2026-04-01..2027-01-01 -244.11, "
                        + "recurring base 2026-04-01..2026-05-01 30.00, credit null 2026-04-01..2026-05-01 200.79]",
                "2026-05-01 0.00 [usage calls 2026-04-01..2026-05-01 0.00, recurring support 2026-04-01..2026-05-01 5.00, recurring base 2026-05-01..2026-06-01 30.00, credit null 2026-05-01..2026-06-01 -35.00]",
                "2026-06-01 0.00 [usage calls 2026-05-01..2026-06-01 0.00, recurring support 2026-05-01..2026-06-01 5.00, recurring base 2026-06-01..2026-07-01 30.00, credit null 2026-06-01..2026-07-01 -35.00]");
        assertThat(s.api.get("/v1/customers/" + c + "/credit").json().get("balance").asText()).isEqualTo("130.79");
        var bad = s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "year", "effective", "tomorrow"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text("code")).isEqualTo("validation_failed");
    }

    @Test
    void aPlanPricedByContactsCountedAtRenewalChangesIntervalOnlyAtPeriodEnd() {
        Sandbox s = new Sandbox("intervals counted", Sandbox.demoCatalog("usercom.yaml"), "2026-01-15T08:00:00Z");
        String c = s.customer("Counted Co", "EUR", "Europe/Warsaw");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "marketing_automation")).get("id").asText();
        String path = "/v1/subscriptions/" + sub + "/change_interval";
        // its renewal price is fixed per period by the contacts counted then: a move now is refused, nothing written
        var refused = s.api.post(path, Map.of("interval", "year", "effective", "immediately"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("validation_failed");
        assertThat(refused.text("field")).isEqualTo("effective");
        var unchanged = s.api.get("/v1/subscriptions/" + sub).json();
        assertThat(unchanged.get("interval").asText()).isEqualTo("month");
        assertThat(unchanged.get("pending_interval").isNull()).isTrue();
        // at period end it is accepted
        assertThat(s.api.post(path, Map.of("interval", "year")).json().get("pending_interval").asText()).isEqualTo("year");
    }

    @Test
    void aDatedIntervalChangeIsTheRequestSentOnItsDate() {
        Sandbox s = new Sandbox("intervals", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Planning Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team")).get("id").asText();
        s.advanceTo("2026-06-05T08:00:00Z");
        String path = "/v1/subscriptions/" + sub + "/scheduled_actions";
        for (var bad : List.of(
                Map.of("action", "change_interval", "effective_date", "2026-07-15"),
                Map.of("action", "change_interval", "effective_date", "2026-07-15", "interval", "fortnight"),
                Map.of("action", "change_interval", "effective_date", "2026-07-15", "interval", "week"),
                Map.of("action", "cancel", "effective_date", "2026-07-15", "interval", "year"))) {
            var refused = s.api.post(path, bad);
            assertThat(refused.status()).as(bad.toString()).isEqualTo(400);
            assertThat(refused.text("field")).as(bad.toString()).isEqualTo("interval");
        }
        var scheduled = s.api.post(path, Map.of("action", "change_interval", "effective_date", "2026-07-15", "interval", "year"));
        assertThat(scheduled.status()).isEqualTo(201);
        assertThat(scheduled.text("interval")).isEqualTo("year");
        assertThat(scheduled.text("status")).isEqualTo("scheduled");
        s.advanceTo("2026-07-16T08:00:00Z");
        // on July 15 it became the move at the end of the paid period, as the request sent that day would have
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("pending_interval")).isEqualTo("year");
        s.advanceTo("2026-08-02T08:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 30.00 [recurring base 2026-06-01..2026-07-01 30.00]",
                "2026-07-01 35.00 [usage calls 2026-06-01..2026-07-01 0.00, recurring support 2026-06-01..2026-07-01 5.00, recurring base 2026-07-01..2026-08-01 30.00]",
                "2026-08-01 329.00 [usage calls 2026-07-01..2026-08-01 0.00, recurring support 2026-07-01..2026-08-01 5.00, recurring base 2026-08-01..2027-08-01 324.00]");
        var actions = s.api.get(path).json().get("data");
        List<String> states = new ArrayList<>();
        actions.forEach(a -> states.add(a.get("action").asText() + " " + a.get("interval").asText() + " " + a.get("status").asText()));
        assertThat(states).containsExactly("change_interval year applied");
    }
}

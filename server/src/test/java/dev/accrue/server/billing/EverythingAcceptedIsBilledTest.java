package dev.accrue.server.billing;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: every accepted event and every served period reaches a document, once, at the catalog's price —
 * add-on charges, in-arrears fees, late and corrected usage on every cadence, trials, operator ends — and usage
 * nothing would bill is refused rather than silently dropped.
 */
class EverythingAcceptedIsBilledTest {
    static final String METERED = """
            name: metered
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
              - { code: callers, aggregation: unique_count, field: caller, unit: caller, group_by: [country] }
            rate_tables:
              - code: caller_rates
                dimensions: [country]
                rows:
                  - { match: { country: FR }, price: { USD: "1.00" } }
                  - { match: { country: US }, price: { USD: "2.00" } }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: basic
                product: voice
                name: Basic
                tier: 1
                alignment: calendar
                trial_days: 10
                trial_usage: TRIAL_USAGE
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" }, timing: in_arrears }
                  - { type: metered, code: calls, name: Calls, metric: call_seconds, pricing: { model: per_unit, unit_price: { USD: "0.01" } } }
                  - { type: metered, code: reach, name: Unique callers, metric: callers, rate_table: caller_rates }
            """;

    private static Map<String, Object> call(String id, String customer, String at, int seconds) {
        return Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", at, "properties", Map.of("duration_seconds", seconds));
    }

    private static Map<String, Object> sms(String id, String customer, String at, int segments) {
        return Map.of("event_id", id, "customer_id", customer, "metric", "sms_segments", "timestamp", at,
                "properties", Map.of("segments", segments, "direction", "outbound", "country", "US", "kind", "sms"));
    }

    @Test
    void anAddOnsChargesAreBilledOnTheirOwnWeeklyCadenceAndLateOrCorrectedTextsReachTheNextWeeklyInvoice() {
        Sandbox s = new Sandbox("sms add-on", Sandbox.demoCatalog("numero-crm.yaml"), "2026-06-01T08:00:00Z"); // a Monday
        String c = s.customer("Texting Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "crm_plus")).get("id").asText();
        // no SMS before the add-on: nothing would bill it
        var refused = s.api.post("/v1/events", sms("early", c, "2026-06-01T07:00:00Z", 10));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("no_charge_for_metric");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "sms")).status()).isEqualTo(201);
        s.advanceTo("2026-06-03T08:00:00Z");
        assertThat(s.api.post("/v1/events", sms("t1", c, "2026-06-02T09:00:00Z", 100)).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-06-09T08:00:00Z");
        assertThat(usageAndAdjustments(s, sub)).containsExactly("2026-06-08 1.10 [usage sms_usage 2026-06-01..2026-06-08 1.10]");

        // a text dated in the invoiced week, and a correction of one billed there: both reach the next weekly invoice
        assertThat(s.api.post("/v1/events", sms("late", c, "2026-06-05T09:00:00Z", 50)).text("status")).isEqualTo("accepted");
        assertThat(s.api.patch("/v1/events/t1", Map.of("properties", Map.of("segments", 200, "direction", "outbound", "country", "US", "kind", "sms")))
                .status()).isEqualTo(200);
        s.advanceTo("2026-06-11T08:00:00Z");
        assertThat(s.api.post("/v1/events", sms("t2", c, "2026-06-10T09:00:00Z", 10)).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-06-16T08:00:00Z");
        assertThat(usageAndAdjustments(s, sub)).containsExactly(
                "2026-06-08 1.10 [usage sms_usage 2026-06-01..2026-06-08 1.10]",
                "2026-06-15 1.76 [usage sms_usage 2026-06-08..2026-06-15 0.11, adjustment sms_usage 2026-06-01..2026-06-08 1.65]");

        // cancelling the late text later: the week is re-priced again (2.75 now billed 1.10 + 1.65 = 2.75; without it 2.20)
        assertThat(s.api.delete("/v1/events/late").status()).isEqualTo(200);
        s.advanceTo("2026-06-18T08:00:00Z");
        assertThat(s.api.post("/v1/events", sms("t3", c, "2026-06-17T09:00:00Z", 100)).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-06-23T08:00:00Z");
        assertThat(usageAndAdjustments(s, sub).getLast()).isEqualTo(
                "2026-06-22 0.55 [usage sms_usage 2026-06-15..2026-06-22 1.10, adjustment sms_usage 2026-06-01..2026-06-08 -0.55]");
    }

    @Test
    void usageOfAMetricNothingChargesIsRefusedAndDoesNotEatIntoAPackageBoughtLater() {
        Sandbox s = new Sandbox("email package", Sandbox.demoCatalog("numero-crm.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Mailer Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "crm_plus")).get("id").asText();
        Map<String, Object> email = Map.of("event_id", "e1", "customer_id", c, "metric", "email_sends", "timestamp", "2026-06-01T07:00:00Z");
        var refused = s.api.post("/v1/events", email);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("no_charge_for_metric");
        s.advanceTo("2026-06-10T08:00:00Z");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "email_50k")).status()).isEqualTo(201);
        // still refused for a day before the purchase, accepted from the purchase on
        assertThat(s.api.post("/v1/events", Map.of("event_id", "e2", "customer_id", c, "metric", "email_sends", "timestamp", "2026-06-05T09:00:00Z"))
                .text("code")).isEqualTo("no_charge_for_metric");
        assertThat(s.api.post("/v1/events", Map.of("event_id", "e3", "customer_id", c, "metric", "email_sends", "timestamp", "2026-06-10T07:00:00Z"))
                .text("status")).isEqualTo("accepted");
        var usage = s.api.get("/v1/subscriptions/" + sub + "/usage").json();
        var emails = java.util.stream.StreamSupport.stream(usage.get("charges").spliterator(), false)
                .filter(ch -> ch.get("metric").asText().equals("email_sends")).findFirst().orElseThrow();
        assertThat(emails.get("used").asText()).isEqualTo("1");
        assertThat(emails.get("included").asText()).isEqualTo("50000");
    }

    @Test
    void inArrearsFeesAreBilledForTheDaysServedAndTrialUsageIsBilledOnTheFirstInvoiceWhenThePlanSaysSo() {
        Sandbox s = new Sandbox("arrears and trial", METERED.replace("TRIAL_USAGE", "billed"), "2026-06-11T08:00:00Z");
        String c = s.customer("Arrears Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText(); // trial Jun 11-21, then calendar months
        s.advanceTo("2026-06-13T08:00:00Z");
        assertThat(s.api.post("/v1/events", call("trial-call", c, "2026-06-12T09:00:00Z", 100)).text("status")).isEqualTo("accepted");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage").status()).isEqualTo(200);
        s.advanceTo("2026-06-26T08:00:00Z");
        assertThat(s.api.post("/v1/events", call("june-call", c, "2026-06-25T09:00:00Z", 200)).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-07-02T08:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-21 1.00 [usage calls 2026-06-11..2026-06-21 1.00]",
                "2026-07-01 5.33 [usage calls 2026-06-21..2026-07-01 2.00, recurring base 2026-06-21..2026-07-01 3.33]");
        s.advanceTo("2026-08-01T08:00:00Z");
        assertThat(s.invoices(sub).getLast()).isEqualTo("2026-08-01 10.00 [usage calls 2026-07-01..2026-08-01 0.00, recurring base 2026-07-01..2026-08-01 10.00]");
    }

    @Test
    void freeTrialUsageIsShownAtNoCostAndNeverInvoiced() {
        Sandbox s = new Sandbox("free trial", METERED.replace("TRIAL_USAGE", "free"), "2026-06-11T08:00:00Z");
        String c = s.customer("Trial Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        s.advanceTo("2026-06-13T08:00:00Z");
        assertThat(s.api.post("/v1/events", call("trial-call", c, "2026-06-12T09:00:00Z", 100)).text("status")).isEqualTo("accepted");
        var view = s.api.get("/v1/subscriptions/" + sub + "/usage");
        assertThat(view.status()).isEqualTo(200);
        assertThat(view.json().at("/charges/0/used").asText()).isEqualTo("100");
        assertThat(view.json().at("/charges/0/projected_cost").asText()).isEqualTo("0.00");
        s.advanceTo("2026-07-02T08:00:00Z");
        assertThat(s.invoices(sub)).containsExactly("2026-07-01 3.33 [usage calls 2026-06-21..2026-07-01 0.00, recurring base 2026-06-21..2026-07-01 3.33]");
    }

    @Test
    void anOperatorsEndIssuesTheFinalInvoiceAtOnceAndUsageReportedLaterIsAdjusted() {
        Sandbox s = new Sandbox("end", METERED.replace("TRIAL_USAGE", "free").replace("trial_days: 10", "trial_days: 0"), "2026-06-01T08:00:00Z");
        String c = s.customer("Ending Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        s.advanceTo("2026-06-16T08:00:00Z");
        assertThat(s.api.post("/v1/events", call("before-end", c, "2026-06-05T09:00:00Z", 300)).text("status")).isEqualTo("accepted");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/end", Map.of("reason", "fraud")).status()).isEqualTo(200);
        s.advanceTo("2026-06-16T09:00:00Z");
        assertThat(s.invoices(sub)).containsExactly("2026-06-16 8.00 [usage calls 2026-06-01..2026-06-16 3.00, recurring base 2026-06-01..2026-06-16 5.00]");
        // a call of the last days reported after the end: adjusted on a document of its own
        assertThat(s.api.post("/v1/events", call("after-end", c, "2026-06-15T09:00:00Z", 60)).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-06-17T09:00:00Z");
        assertThat(s.invoices(sub).getLast()).isEqualTo("2026-06-17 0.60 [adjustment calls 2026-06-01..2026-06-16 0.60]");
        s.advanceTo("2026-08-01T09:00:00Z");
        assertThat(s.invoices(sub)).hasSize(2);
    }

    @Test
    void uniqueCountsAreCountedPerGroup() {
        Sandbox s = new Sandbox("unique groups", METERED.replace("TRIAL_USAGE", "free").replace("trial_days: 10", "trial_days: 0"), "2026-06-01T08:00:00Z");
        String c = s.customer("Reach Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        int n = 0;
        for (String[] caller : List.of(new String[]{"a", "FR"}, new String[]{"b", "FR"}, new String[]{"a", "FR"}, new String[]{"a", "US"})) {
            assertThat(s.api.post("/v1/events", Map.of("event_id", "u" + n++, "customer_id", c, "metric", "callers", "timestamp", "2026-06-01T07:00:00Z",
                    "properties", Map.of("caller", caller[0], "country", caller[1]))).text("status")).isEqualTo("accepted");
        }
        s.advanceTo("2026-07-01T09:00:00Z");
        assertThat(s.invoices(sub).getLast()).isEqualTo("2026-07-01 14.00 [usage calls 2026-06-01..2026-07-01 0.00, usage reach 2026-06-01..2026-07-01 2.00, "
                + "usage reach 2026-06-01..2026-07-01 2.00, recurring base 2026-06-01..2026-07-01 10.00]");
    }

    @Test
    void inboundTextsCostOneFlatPricePerMessageWhateverTheirSegments() {
        Sandbox s = new Sandbox("inbound sms", Sandbox.demoCatalog("callr.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Inbound Co", "EUR", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "payg")).get("id").asText();
        s.advanceTo("2026-06-04T08:00:00Z");
        for (int i = 0; i < 3; i++) {
            assertThat(s.api.post("/v1/events", Map.of("event_id", "in" + i, "customer_id", c, "metric", "sms_segments", "timestamp", "2026-06-03T09:00:00Z",
                    "properties", Map.of("segments", 4, "direction", "inbound", "country", "FR"))).text("status")).isEqualTo("accepted");
        }
        assertThat(s.api.post("/v1/events", Map.of("event_id", "out", "customer_id", c, "metric", "sms_segments", "timestamp", "2026-06-03T09:00:00Z",
                "properties", Map.of("segments", 2, "direction", "outbound", "country", "FR"))).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-07-01T09:00:00Z");
        var lines = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/lines");
        List<String> sms = new java.util.ArrayList<>();
        lines.forEach(l -> {
            if (l.get("charge_code").asText().equals("sms")) {
                sms.add(l.get("description").asText() + " = " + l.get("amount").asText());
            }
        });
        assertThat(sms).containsExactly("SMS (country=FR, direction=inbound): 3 events = 0.03", "SMS (country=FR, direction=outbound): 2 segment = 0.11");
    }

    @Test
    void theValidatorRefusesMeteredChargesBilledInAdvanceAndAddOnChargesThatAreNotMetered() {
        Sandbox s = new Sandbox("validator", METERED.replace("TRIAL_USAGE", "free"), "2026-06-01T08:00:00Z");
        var advance = s.api.postYaml("/v1/catalog/versions", METERED.replace("TRIAL_USAGE", "free").replace("version: 1", "version: 2")
                .replace("unit_price: { USD: \"0.01\" } } }", "unit_price: { USD: \"0.01\" } }, timing: in_advance }"));
        assertThat(advance.status()).isEqualTo(400);
        assertThat(advance.body()).contains("plans[0].charges[1].timing");
    }

    /** The subscription's documents that carry usage or adjustments. */
    private static List<String> usageAndAdjustments(Sandbox s, String sub) {
        return s.invoices(sub).stream().filter(i -> i.contains("usage ") || i.contains("adjustment ")).toList();
    }
}

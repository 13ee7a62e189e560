package dev.accrue.server.metering;

import dev.accrue.server.support.Unique;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage is billed in arrears on the invoice that closes the period, after the allowance, priced per second. */
class UsageInvoicingTest {
    static final String SMS = """
            name: sms
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            metrics:
              - { code: sms_segments, aggregation: sum, field: segments, unit: segment, group_by: [direction, country] }
            rate_tables:
              - code: sms_rates
                dimensions: [direction, country]
                rows:
                  - { match: { direction: inbound }, price: { EUR: "0.01" } }
                  - { match: { direction: outbound, country: FR }, price: { EUR: "0.0725" } }
                  - { match: { direction: outbound, country: US }, price: { EUR: "0.0079" } }
            products:
              - { code: sms, name: SMS }
            plans:
              - code: payg
                product: sms
                name: Pay as you go
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: sms, name: SMS, metric: sms_segments, rate_table: sms_rates }
            """;

    @Test
    void allowanceOverridesAreWrittenAsDocumentedAndBilled() {
        Sandbox s = new Sandbox("deal allowances", MeteringApiTest.VOICE, "2026-06-01T08:00:00Z");
        String c = s.customer("Calls Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        // docs/catalog.md writes resets in snake_case, as the API returns them: the API must read them back that way
        var ok = s.api.send("PUT", "/v1/subscriptions/" + sub + "/overrides",
                Map.of("allowances", Map.of("minutes", List.of(Map.of("quantity", 18180, "reset", "month")))));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/overrides").json().at("/allowances/minutes/0/reset").asText()).isEqualTo("month");
        s.advanceTo("2026-06-20T12:00:00Z");
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < 101; i++) { // 18,180 s: 180 s past the plan's 18,000, within the deal's 18,180
            calls.add(Map.of("event_id", "c" + i, "customer_id", c, "metric", "call_seconds", "timestamp", "2026-06-20T10:00:00Z",
                    "properties", Map.of("duration_seconds", 180, "direction", "outbound")));
        }
        assertThat(s.api.post("/v1/events/batch", Map.of("events", calls)).json().get("accepted").asInt()).isEqualTo(101);
        s.advanceTo("2026-07-01T08:00:00Z");
        assertThat(s.invoices(sub).getLast()).contains("usage minutes 2026-06-01..2026-07-01 0.00");
    }

    @Test
    void aThreeMinuteCallPastAnExhaustedAllowanceBills180OverageSeconds() {
        Sandbox s = new Sandbox("overage", MeteringApiTest.VOICE, "2026-06-01T08:00:00Z");
        String c = s.customer("Overage Co", "USD", "UTC");
        String sub = s.subscribe(java.util.Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        s.advanceTo("2026-06-20T12:00:00Z");
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // 100 calls of 180 s = the whole 18,000-second allowance
            calls.add(Map.of("event_id", "c" + i, "customer_id", c, "metric", "call_seconds", "timestamp", "2026-06-20T10:00:00Z",
                    "properties", Map.of("duration_seconds", 180, "direction", i % 2 == 0 ? "inbound" : "outbound")));
        }
        calls.add(Map.of("event_id", "last", "customer_id", c, "metric", "call_seconds", "timestamp", "2026-06-20T11:00:00Z",
                "properties", Map.of("duration_seconds", 180, "direction", "outbound")));
        assertThat(s.api.post("/v1/events/batch", Map.of("events", calls)).json().get("accepted").asInt()).isEqualTo(101);
        s.advanceTo("2026-07-01T08:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 49.00 [recurring base 2026-06-01..2026-07-01 49.00]",
                "2026-07-01 49.36 [usage minutes 2026-06-01..2026-07-01 0.36, recurring base 2026-07-01..2026-08-01 49.00]");
        var line = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/lines/0");
        assertThat(line.get("description").asText()).isEqualTo("minutes: 18180 second used, 18000 second included, 180 second overage");
        assertThat(line.get("quantity").asText()).isEqualTo("180");
        assertThat(line.get("unit_price").asText()).isEqualTo("0.002");

        // a 60-second June call reported on July 5, after June was invoiced: August's invoice carries it
        s.advanceTo("2026-07-05T08:00:00Z");
        assertThat(s.api.post("/v1/events", Map.of("event_id", "late", "customer_id", c, "metric", "call_seconds", "timestamp", "2026-06-30T20:00:00Z",
                "properties", Map.of("duration_seconds", 60, "direction", "inbound"))).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-08-01T08:00:00Z");
        assertThat(s.invoices(sub).getLast()).isEqualTo(
                "2026-08-01 49.12 [adjustment minutes 2026-06-01..2026-07-01 0.12, usage minutes 2026-07-01..2026-08-01 0.00, "
                        + "recurring base 2026-08-01..2026-09-01 49.00]");
    }

    @Test
    void weeklySmsUsageIsInvoicedInArrearsAndAWeekCrossingTheFirstIsCutThere() {
        String weekly = SMS.replace("rate_table: sms_rates }", "rate_table: sms_rates, invoice_cadence: week, cut_at_month_start: true }");
        assertThat(weekly).contains("invoice_cadence: week");
        Sandbox s = new Sandbox("weekly sms", weekly, "2026-06-24T08:00:00Z"); // a Wednesday
        String c = s.customer("Weekly Texter", "EUR", "UTC");
        String sub = s.subscribe(java.util.Map.of("customer_id", c, "plan", "payg")).get("id").asText();
        for (String day : new String[] {"2026-06-25", "2026-06-30", "2026-07-02"}) {
            s.advanceTo(day + "T10:00:00Z");
            s.api.post("/v1/events", Map.of("event_id", "sms-" + day, "customer_id", c, "metric", "sms_segments", "timestamp", day + "T09:00:00Z",
                    "properties", Map.of("segments", 10, "direction", "outbound", "country", "FR")));
        }
        s.advanceTo("2026-07-14T10:00:00Z");
        // weeks start on Mondays (calendar): Jun 24–29 stub, Jun 29–Jul 1 cut at the 1st, then Jul 1–6; empty weeks bill nothing
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-29 0.73 [usage sms 2026-06-24..2026-06-29 0.73]",
                "2026-07-01 0.73 [usage sms 2026-06-29..2026-07-01 0.73]",
                "2026-07-06 0.73 [usage sms 2026-07-01..2026-07-06 0.73]");
    }

    @Test
    void monthlyMinutesOnAYearlyPlanResetEachMonth() {
        String yearly = """
                name: yearly
                version: 1
                effective_from: 2020-01-01
                currencies: [USD]
                metrics:
                  - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
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
                """;
        Sandbox s = new Sandbox("yearly", yearly, "2026-01-01T08:00:00Z");
        String c = s.customer("Yearly Co", "USD", "UTC");
        String sub = s.subscribe(java.util.Map.of("customer_id", c, "plan", "annual", "alignment", "anniversary")).get("id").asText();
        s.api.post("/v1/events", Map.of("event_id", "jan", "customer_id", c, "metric", "call_seconds", "timestamp", "2026-01-01T08:00:00Z",
                "properties", Map.of("duration_seconds", 160)));
        s.advanceTo("2026-02-10T08:00:00Z");
        s.api.post("/v1/events", Map.of("event_id", "feb", "customer_id", c, "metric", "call_seconds", "timestamp", "2026-02-10T08:00:00Z",
                "properties", Map.of("duration_seconds", 30)));
        var view = s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0");
        assertThat(view.get("used").asText()).isEqualTo("30");
        assertThat(view.get("remaining").asText()).isEqualTo("70");
        s.advanceTo("2027-01-01T08:00:00Z");
        // January: 160 s against 100 included = 60 s over; February: 30 s, within its own 100 → 60 s × 0.60/min = 0.60
        var last = s.invoices(sub).getLast();
        assertThat(last).startsWith("2027-01-01 120.60 [usage minutes 2026-01-01..2027-01-01 0.60,");
    }

    @Test
    void storageIsBilledOnItsTimeWeightedAverage() {
        String storage = """
                name: storage
                version: 1
                effective_from: 2020-01-01
                currencies: [USD]
                metrics:
                  - { code: storage_gb, aggregation: time_weighted_sum, field: gb, unit: GB }
                products:
                  - { code: files, name: Files }
                plans:
                  - code: files
                    product: files
                    name: Files
                    tier: 1
                    alignment: calendar
                    intervals: [{ interval: month }]
                    charges:
                      - { type: metered, code: storage, name: Storage, metric: storage_gb, allowances: [{ quantity: 5 }],
                          pricing: { model: per_unit, unit_price: { USD: "0.10" } } }
                """;
        Sandbox s = new Sandbox("storage", storage, "2026-06-01T00:00:00Z");
        String c = s.customer("Files Co", "USD", "UTC");
        String sub = s.subscribe(java.util.Map.of("customer_id", c, "plan", "files")).get("id").asText();
        s.api.post("/v1/events", Map.of("event_id", "gb-1", "customer_id", c, "metric", "storage_gb", "timestamp", "2026-06-01T00:00:00Z",
                "properties", Map.of("gb", 10)));
        s.advanceTo("2026-06-16T00:00:00Z");
        s.api.post("/v1/events", Map.of("event_id", "gb-2", "customer_id", c, "metric", "storage_gb", "timestamp", "2026-06-16T00:00:00Z",
                "properties", Map.of("gb", 40)));
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0/used").asText()).isEqualTo("10");
        s.advanceTo("2026-07-01T06:00:00Z");
        // 10 GB for 15 days and 40 GB for 15 days: 25 GB on average, 20 over the 5 included, at 0.10
        assertThat(s.invoices(sub)).containsExactly("2026-07-01 2.00 [usage storage 2026-06-01..2026-07-01 2.00]");
        assertThat(s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/lines/0/description").asText())
                .isEqualTo("Storage: 25 GB used, 5 GB included, 20 GB overage");
    }

    @Test
    void smsIsRatedByDirectionAndCountryOneLinePerDestination() {
        Sandbox s = new Sandbox("sms rating", SMS, "2026-03-05T08:00:00Z");
        String c = s.customer("Texting SAS", "EUR", "Europe/Paris");
        String sub = s.subscribe(java.util.Map.of("customer_id", c, "plan", "payg")).get("id").asText();
        List<Map<String, Object>> sms = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sms.add(Map.of("event_id", "fr" + i, "customer_id", c, "metric", "sms_segments", "timestamp", "2026-03-05T07:00:00Z",
                    "properties", Map.of("segments", 2, "direction", "outbound", "country", "FR")));
        }
        sms.add(Map.of("event_id", "us1", "customer_id", c, "metric", "sms_segments", "timestamp", "2026-03-05T07:00:00Z",
                "properties", Map.of("segments", 3, "direction", "outbound", "country", "US")));
        // a message sent with its text: 200 GSM-7 characters are 2 segments of 153
        sms.add(Map.of("event_id", "text1", "customer_id", c, "metric", "sms_segments", "timestamp", "2026-03-05T07:00:00Z",
                "properties", Map.of("text", "x".repeat(200), "direction", "outbound", "country", "FR")));
        sms.add(Map.of("event_id", "in1", "customer_id", c, "metric", "sms_segments", "timestamp", "2026-03-05T07:00:00Z",
                "properties", Map.of("segments", 1, "direction", "inbound", "country", "FR")));
        assertThat(s.api.post("/v1/events/batch", Map.of("events", sms)).json().get("accepted").asInt()).isEqualTo(33);
        s.advanceTo("2026-04-01T08:00:00Z");
        // 62 segments × 0.0725 = 4.495 → 4.50; 3 × 0.0079 = 0.0237 → 0.02; inbound 1 × 0.01
        assertThat(s.invoices(sub)).containsExactly(
                "2026-04-01 4.53 [usage sms 2026-03-05..2026-04-01 0.01, usage sms 2026-03-05..2026-04-01 4.50, usage sms 2026-03-05..2026-04-01 0.02]");
    }

    @Test
    void lateUsageOfAnEndedSubscriptionIsInvoicedOnItsOwn() {
        Sandbox s = new Sandbox("late after end", MeteringApiTest.VOICE, "2026-06-01T08:00:00Z");
        String c = s.customer("Leaving Co", "USD", "UTC");
        String sub = s.subscribe(java.util.Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        s.api.post("/v1/subscriptions/" + sub + "/cancel", Map.of("reason", "closing"));
        s.advanceTo("2026-07-01T08:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("ended");
        // 18,000 s are included; a late June report of 18,120 s is 120 s of overage = 0.24, billed although nothing follows
        var late = s.api.post("/v1/events", Map.of("event_id", "late-end", "customer_id", c, "metric", "call_seconds", "timestamp",
                "2026-06-29T20:00:00Z", "properties", Map.of("duration_seconds", 18120, "direction", "outbound")));
        assertThat(late.text("status")).isEqualTo("accepted");
        s.advanceTo("2026-07-02T08:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 49.00 [recurring base 2026-06-01..2026-07-01 49.00]",
                "2026-07-01 0.00 [usage minutes 2026-06-01..2026-07-01 0.00]",
                "2026-07-02 0.24 [adjustment minutes 2026-06-01..2026-07-01 0.24]");
        s.advanceTo("2026-08-02T08:00:00Z");
        assertThat(s.invoices(sub)).hasSize(3);
    }

    @Test
    void correctingOrCancellingUsageOfAnInvoicedPeriodIsAdjustedOnTheNextInvoice() {
        Sandbox s = new Sandbox("corrections", MeteringApiTest.VOICE, "2026-06-01T08:00:00Z");
        String c = s.customer("Correcting Co", "USD", "UTC");
        String sub = s.subscribe(java.util.Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        s.advanceTo("2026-06-20T12:00:00Z");
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < 101; i++) { // 101 calls of 180 s: 180 s beyond the 18,000 included
            calls.add(Map.of("event_id", "k" + i, "customer_id", c, "metric", "call_seconds", "timestamp", "2026-06-20T10:00:00Z",
                    "properties", Map.of("duration_seconds", 180, "direction", i % 2 == 0 ? "inbound" : "outbound")));
        }
        s.api.post("/v1/events/batch", Map.of("events", calls));
        s.advanceTo("2026-07-01T08:00:00Z");
        assertThat(s.invoices(sub).getLast()).startsWith("2026-07-01 49.36 [usage minutes 2026-06-01..2026-07-01 0.36");
        // June was invoiced: one call really lasted 60 s, another never happened
        s.advanceTo("2026-07-03T08:00:00Z");
        var corrected = s.api.patch("/v1/events/k1", Map.of("properties", Map.of("duration_seconds", 60, "direction", "outbound")));
        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(200);
        assertThat(s.api.delete("/v1/events/k2").status()).isEqualTo(200);
        s.advanceTo("2026-08-01T08:00:00Z");
        // June now used 17,880 s, inside the allowance: the 0.36 charged is credited on August's invoice
        assertThat(s.invoices(sub).getLast()).isEqualTo("2026-08-01 48.64 [adjustment minutes 2026-06-01..2026-07-01 -0.36, "
                + "usage minutes 2026-07-01..2026-08-01 0.00, recurring base 2026-08-01..2026-09-01 49.00]");
        var line = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/lines/0/description").asText();
        assertThat(line).isEqualTo("Adjustment: minutes for 2026-06-01 to 2026-06-30: usage -180 (events late, corrected or cancelled after it was invoiced)");
    }

    @Test
    void aUniqueCountCountsEachValueOnceInEveryAllowanceWindowItAppearsIn() {
        String catalog = """
                name: callers
                version: 1
                effective_from: 2020-01-01
                currencies: [USD]
                metrics:
                  - { code: active_callers, aggregation: unique_count, field: caller, unit: caller }
                products:
                  - { code: desk, name: Desk }
                plans:
                  - code: yearly
                    product: desk
                    name: Yearly
                    tier: 1
                    alignment: calendar
                    intervals: [{ interval: year }]
                    charges:
                      - { type: metered, code: callers, name: Active callers, metric: active_callers, allowances: [{ quantity: 1, reset: month }],
                          pricing: { model: per_unit, unit_price: { USD: "1.00" } } }
                """;
        Sandbox s = new Sandbox("unique windows", catalog, "2026-01-01T08:00:00Z");
        String c = s.customer("Desk Co", "USD", "UTC");
        String sub = s.subscribe(java.util.Map.of("customer_id", c, "plan", "yearly")).get("id").asText();
        // the same two callers in January and in February: one over the monthly allowance each month
        for (String month : List.of("01", "02")) {
            s.advanceTo("2026-" + month + "-10T12:00:00Z");
            for (String caller : List.of("alice", "bob", "alice")) {
                s.api.post("/v1/events", Map.of("event_id", month + caller + Unique.suffix(), "customer_id", c, "metric", "active_callers",
                        "timestamp", "2026-" + month + "-10T10:00:00Z", "properties", Map.of("caller", caller)));
            }
        }
        s.advanceTo("2027-01-01T08:00:00Z");
        assertThat(s.invoices(sub).getLast()).startsWith("2027-01-01 2.00 [usage callers 2026-01-01..2027-01-01 2.00");
    }
}

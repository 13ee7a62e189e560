package dev.accrue.server.billing;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Time-travel scenarios on PostgreSQL through the public API, asserting whole invoices. */
class SubscriptionLifecycleTest {
    static final String TIERS = """
            name: tiers
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: app, name: App }
            plans:
              - code: basic
                product: app
                name: Basic
                tier: 1
                intervals: [{ interval: month }, { interval: year, discount_percent: 10 }]
                charges:
                  - { type: recurring, code: base, name: Basic, monthly_price: { USD: "10.00" } }
              - code: plus
                product: app
                name: Plus
                tier: 2
                trial_days: 14
                intervals: [{ interval: month }, { interval: year, discount_percent: 10 }]
                charges:
                  - { type: recurring, code: base, name: Plus, monthly_price: { USD: "20.00" } }
              - code: pro
                product: app
                name: Pro
                tier: 3
                intervals: [{ interval: month }, { interval: quarter, discount_percent: 5 }, { interval: year, discount_percent: 10 }]
                charges:
                  - { type: recurring, code: base, name: Pro, monthly_price: { USD: "40.00" } }
                change_policy: { upgrade_invoicing: immediate }
              - code: enterprise
                product: app
                name: Enterprise
                tier: 4
                intervals: [{ interval: year }]
                lock_in: { months: 12 }
                charges:
                  - { type: recurring, code: base, name: Enterprise, monthly_price: { USD: "100.00" } }
            """;

    @Test
    void aCalendarCustomerOverAYearWithUpgradeDowngradeRevokedDowngradeAndCancellation() {
        Sandbox s = new Sandbox("calendar year", TIERS, "2026-01-10T12:00:00Z");
        String c = s.customer("Calendar Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "alignment", "calendar")).get("id").asText();
        // Jan 10 → Feb 1: 22 of 31 days of 10.00 = 7.10
        s.advanceTo("2026-03-16T09:00:00Z");
        var up = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "pro"));
        // Mar 16 → Apr 1 is 16 of 31 days: 16/31 × 30.00 = 15.48, invoiced at once (pro invoices prorations immediately)
        assertThat(up.text("total")).isEqualTo("15.48");
        assertThat(up.json().get("invoiced_now").asBoolean()).isTrue();
        s.advanceTo("2026-05-20T09:00:00Z");
        var down = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "plus"));
        assertThat(down.text("timing")).isEqualTo("at_period_end");
        assertThat(down.text("effective_on")).isEqualTo("2026-06-01");
        assertThat(down.json().at("/subscription/status").asText()).isEqualTo("pending_change");
        var revoked = s.api.post("/v1/subscriptions/" + sub + "/revoke_pending_change", null);
        assertThat(revoked.text("status")).isEqualTo("active");
        assertThat(revoked.text("pending_plan")).isNull();
        s.advanceTo("2026-07-15T09:00:00Z");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "basic")).text("timing")).isEqualTo("at_period_end");
        s.advanceTo("2026-09-05T09:00:00Z");
        var cancel = s.api.post("/v1/subscriptions/" + sub + "/cancel", Map.of("reason", "moving to another tool"));
        assertThat(cancel.text("status")).isEqualTo("canceled_at_period_end");
        s.advanceTo("2027-01-10T09:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-01-10 7.10 [recurring base 2026-01-10..2026-02-01 7.10]",
                "2026-02-01 10.00 [recurring base 2026-02-01..2026-03-01 10.00]",
                "2026-03-01 10.00 [recurring base 2026-03-01..2026-04-01 10.00]",
                "2026-03-16 15.48 [proration base 2026-03-16..2026-04-01 15.48]",
                "2026-04-01 40.00 [recurring base 2026-04-01..2026-05-01 40.00]",
                "2026-05-01 40.00 [recurring base 2026-05-01..2026-06-01 40.00]",
                "2026-06-01 40.00 [recurring base 2026-06-01..2026-07-01 40.00]",
                "2026-07-01 40.00 [recurring base 2026-07-01..2026-08-01 40.00]",
                "2026-08-01 10.00 [recurring base 2026-08-01..2026-09-01 10.00]",
                "2026-09-01 10.00 [recurring base 2026-09-01..2026-10-01 10.00]");
        var ended = s.api.get("/v1/subscriptions/" + sub);
        assertThat(ended.text("status")).isEqualTo("ended");
        assertThat(ended.text("ended_on")).isEqualTo("2026-10-01");
        assertThat(ended.text("cancel_reason")).isEqualTo("moving to another tool");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "pro")).code()).isEqualTo("subscription_ended");
    }

    @Test
    void anAnniversaryCustomerOverAYearWithUpgradeDowngradeRevokedDowngradeAndCancellation() {
        Sandbox s = new Sandbox("anniversary year", TIERS, "2026-02-10T08:00:00Z");
        String c = s.customer("Anniversary Year Co", "USD", "America/New_York");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "alignment", "anniversary")).get("id").asText();
        s.advanceTo("2026-04-20T15:00:00Z");
        // period Apr 10 → May 10 (30 days); Apr 20 → May 10 is 20 days: 20/30 × (40 − 10) = 20.00, invoiced at once
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "pro")).text("total")).isEqualTo("20.00");
        s.advanceTo("2026-06-01T15:00:00Z");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "basic")).text("effective_on")).isEqualTo("2026-06-10");
        s.api.post("/v1/subscriptions/" + sub + "/revoke_pending_change", null);
        s.advanceTo("2026-08-15T15:00:00Z");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "plus")).text("effective_on")).isEqualTo("2026-09-10");
        s.advanceTo("2026-11-11T15:00:00Z");
        s.api.post("/v1/subscriptions/" + sub + "/cancel", Map.of("reason", "budget"));
        s.advanceTo("2027-02-11T15:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-02-10 10.00 [recurring base 2026-02-10..2026-03-10 10.00]",
                "2026-03-10 10.00 [recurring base 2026-03-10..2026-04-10 10.00]",
                "2026-04-10 10.00 [recurring base 2026-04-10..2026-05-10 10.00]",
                "2026-04-20 20.00 [proration base 2026-04-20..2026-05-10 20.00]",
                "2026-05-10 40.00 [recurring base 2026-05-10..2026-06-10 40.00]",
                "2026-06-10 40.00 [recurring base 2026-06-10..2026-07-10 40.00]",
                "2026-07-10 40.00 [recurring base 2026-07-10..2026-08-10 40.00]",
                "2026-08-10 40.00 [recurring base 2026-08-10..2026-09-10 40.00]",
                "2026-09-10 20.00 [recurring base 2026-09-10..2026-10-10 20.00]",
                "2026-10-10 20.00 [recurring base 2026-10-10..2026-11-10 20.00]",
                "2026-11-10 20.00 [recurring base 2026-11-10..2026-12-10 20.00]");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("ended_on")).isEqualTo("2026-12-10");
    }

    @Test
    void anOperatorEndsASubscriptionAtOnceAndSettlesInvoices() {
        Sandbox s = new Sandbox("end now", TIERS, "2026-02-10T08:00:00Z");
        String c = s.customer("Ended Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "enterprise", "interval", "year")).get("id").asText();
        var ended = s.api.post("/v1/subscriptions/" + sub + "/end", Map.of("reason", "fraud"));
        assertThat(ended.text("status")).isEqualTo("ended");
        s.advanceTo("2027-03-01T08:00:00Z");
        assertThat(s.invoices(sub)).hasSize(1);
        String invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/suspend", null).code()).isEqualTo("subscription_ended");
        assertThat(s.api.post("/v1/invoices/" + invoice + "/void", null).text("status")).isEqualTo("void");
        var again = s.api.post("/v1/invoices/" + invoice + "/mark_paid", null);
        assertThat(again.code()).isEqualTo("invoice_not_open");
        assertThat(s.api.get("/v1/invoices/" + invoice).text("total")).isEqualTo("1200.00");
    }

    @Test
    void aSuspendedSubscriptionShowsSuspendedKeepsBeingInvoicedAndIsReinstated() {
        Sandbox s = new Sandbox("suspend", TIERS, "2026-02-01T08:00:00Z");
        String c = s.customer("Late Payer", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "alignment", "calendar")).get("id").asText();
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/suspend", null).text("status")).isEqualTo("suspended");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/suspend", null).code()).isEqualTo("validation_failed");
        s.advanceTo("2026-03-02T08:00:00Z");
        assertThat(s.invoices(sub)).hasSize(2);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/reinstate", null).text("status")).isEqualTo("active");
    }

    @Test
    void anAnniversaryCustomerStartingOnJanuary31RenewsOnTheLastDayOfShortMonths() {
        Sandbox s = new Sandbox("anniversary", TIERS, "2027-01-31T10:00:00Z");
        String c = s.customer("Anniversary Co", "USD", "Europe/Berlin");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "alignment", "anniversary")).get("id").asText();
        s.advanceTo("2027-06-01T10:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2027-01-31 10.00 [recurring base 2027-01-31..2027-02-28 10.00]",
                "2027-02-28 10.00 [recurring base 2027-02-28..2027-03-31 10.00]",
                "2027-03-31 10.00 [recurring base 2027-03-31..2027-04-30 10.00]",
                "2027-04-30 10.00 [recurring base 2027-04-30..2027-05-31 10.00]",
                "2027-05-31 10.00 [recurring base 2027-05-31..2027-06-30 10.00]");
    }

    @Test
    void anAnniversaryUpgradeIsProratedOverTheAnniversaryPeriodAndInvoicedAtOnceByDefault() {
        Sandbox s = new Sandbox("anniversary upgrade", TIERS, "2026-04-15T10:00:00Z");
        String c = s.customer("Upgrade Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "alignment", "anniversary")).get("id").asText();
        s.advanceTo("2026-05-05T10:00:00Z");
        // period Apr 15 → May 15 (30 days); May 5 → May 15 is 10 days: 10/30 × (20 − 10) = 3.33
        var change = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "plus"));
        assertThat(change.text("total")).isEqualTo("3.33");
        s.advanceTo("2026-06-16T10:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-04-15 10.00 [recurring base 2026-04-15..2026-05-15 10.00]",
                "2026-05-05 3.33 [proration base 2026-05-05..2026-05-15 3.33]",
                "2026-05-15 20.00 [recurring base 2026-05-15..2026-06-15 20.00]",
                "2026-06-15 20.00 [recurring base 2026-06-15..2026-07-15 20.00]");
    }

    @Test
    void aYearlyCustomerInALockInMayDowngradeOrCancelToTakeEffectWhenTheTermEnds() {
        Sandbox s = new Sandbox("lock-in", TIERS, "2026-02-01T10:00:00Z");
        String c = s.customer("Locked Co", "USD", "UTC");
        var created = s.subscribe(Map.of("customer_id", c, "plan", "enterprise", "interval", "year"));
        String sub = created.get("id").asText();
        assertThat(created.get("lock_in_until").asText()).isEqualTo("2027-02-01");
        s.advanceTo("2026-08-01T10:00:00Z");
        // the yearly period ends with the lock-in term, so a change asked now takes effect exactly when it allows
        var down = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "pro"));
        assertThat(down.status()).as(down.toString()).isEqualTo(200);
        assertThat(down.text("effective_on")).isEqualTo("2027-02-01");
        s.api.post("/v1/subscriptions/" + sub + "/revoke_pending_change", null);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/cancel", null).text("status")).isEqualTo("canceled_at_period_end");
        s.advanceTo("2027-02-02T10:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("ended");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-02-01 1200.00 [recurring base 2026-02-01..2027-02-01 1200.00]");
    }

    @Test
    void aTrialDelaysTheFirstInvoiceAndAnchorsTheCycleAtItsEnd() {
        Sandbox s = new Sandbox("trial", TIERS, "2026-03-03T10:00:00Z");
        String c = s.customer("Trial Co", "USD", "UTC");
        var created = s.subscribe(Map.of("customer_id", c, "plan", "plus", "alignment", "anniversary"));
        String sub = created.get("id").asText();
        assertThat(created.get("status").asText()).isEqualTo("trialing");
        assertThat(created.get("trial_end").asText()).isEqualTo("2026-03-17");
        assertThat(s.invoices(sub)).isEmpty();
        s.advanceTo("2026-04-20T10:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-03-17 20.00 [recurring base 2026-03-17..2026-04-17 20.00]",
                "2026-04-17 20.00 [recurring base 2026-04-17..2026-05-17 20.00]");
    }

    @Test
    void aBackdatedStartIsBilledPeriodByPeriodAndReactivationRevokesACancellation() {
        Sandbox s = new Sandbox("backdated", TIERS, "2026-05-20T10:00:00Z");
        String c = s.customer("Backdated Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro", "interval", "quarter", "start_date", "2026-01-01",
                "alignment", "anniversary")).get("id").asText();
        assertThat(s.invoices(sub)).containsExactly(
                "2026-01-01 114.00 [recurring base 2026-01-01..2026-04-01 114.00]",
                "2026-04-01 114.00 [recurring base 2026-04-01..2026-07-01 114.00]");
        s.api.post("/v1/subscriptions/" + sub + "/cancel", null);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/reactivate", null).text("status")).isEqualTo("active");
        s.advanceTo("2026-07-01T10:00:00Z");
        assertThat(s.invoices(sub)).hasSize(3);
    }

    @Test
    void moreSeatsAreProratedAtOnceAndFewerWaitForThePeriodEnd() {
        Sandbox s = new Sandbox("seats", TIERS, "2026-04-01T10:00:00Z");
        String c = s.customer("Seats Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "alignment", "calendar", "quantity", 3)).get("id").asText();
        s.advanceTo("2026-04-16T10:00:00Z");
        // Apr 16 → May 1 is 15 of 30 days; 2 more seats × 10.00 × 15/30 = 10.00
        var preview = s.api.post("/v1/subscriptions/" + sub + "/change_quantity/preview", Map.of("quantity", 5));
        assertThat(preview.text("total")).isEqualTo("10.00");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change_quantity", Map.of("quantity", 5)).json().get("invoiced_now").asBoolean()).isTrue();
        s.advanceTo("2026-05-10T10:00:00Z");
        var fewer = s.api.post("/v1/subscriptions/" + sub + "/change_quantity", Map.of("quantity", 2));
        assertThat(fewer.text("timing")).isEqualTo("at_period_end");
        assertThat(fewer.json().at("/subscription/pending_quantity").asInt()).isEqualTo(2);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change_quantity", Map.of("quantity", 0)).text("field")).isEqualTo("quantity");
        s.advanceTo("2026-06-02T10:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-04-01 30.00 [recurring base 2026-04-01..2026-05-01 30.00]",
                "2026-04-16 10.00 [proration base 2026-04-16..2026-05-01 10.00]",
                "2026-05-01 50.00 [recurring base 2026-05-01..2026-06-01 50.00]",
                "2026-06-01 20.00 [recurring base 2026-06-01..2026-07-01 20.00]");
    }

    @Test
    void anIntervalChangeTakesEffectWhenThePaidPeriodEnds() {
        Sandbox s = new Sandbox("interval", TIERS, "2026-01-15T10:00:00Z");
        String c = s.customer("Interval Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro", "alignment", "anniversary")).get("id").asText();
        s.advanceTo("2026-02-20T10:00:00Z");
        var scheduled = s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "year"));
        assertThat(scheduled.text("pending_interval")).isEqualTo("year");
        assertThat(scheduled.text("interval")).isEqualTo("month");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "week")).text("field")).isEqualTo("interval");
        s.advanceTo("2027-03-20T10:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-01-15 40.00 [recurring base 2026-01-15..2026-02-15 40.00]",
                "2026-02-15 40.00 [recurring base 2026-02-15..2026-03-15 40.00]",
                "2026-03-15 432.00 [recurring base 2026-03-15..2027-03-15 432.00]",
                "2027-03-15 432.00 [recurring base 2027-03-15..2028-03-15 432.00]");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("interval")).isEqualTo("year");
    }

    @Test
    void badRequestsAreRefusedPreciselyAndChangeNothing() {
        Sandbox s = new Sandbox("bad input", TIERS, "2026-05-20T10:00:00Z");
        String c = s.customer("Careful Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "plus", "trial_days", 0)).get("id").asText();
        var unknownPlan = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "platinum"));
        assertThat(unknownPlan.code()).isEqualTo("not_found");
        assertThat(unknownPlan.text("field")).isEqualTo("plan");
        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "basic", "interval", "fortnight")).text("field")).isEqualTo("interval");
        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "enterprise", "interval", "month")).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", "cus_nope", "plan", "basic")).code()).isEqualTo("not_found");
        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "basic", "start_date", "2026-13-01")).code()).isEqualTo("wrong_type");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "plus")).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "pro", "effective", "yesterday")).text("field")).isEqualTo("effective");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/reactivate", null).code()).isEqualTo("validation_failed");

        String pound = s.customer("Pound Co", "GBP", "Europe/London");
        var gbp = s.api.post("/v1/subscriptions", Map.of("customer_id", pound, "plan", "basic"));
        assertThat(gbp.code()).isEqualTo("currency_mismatch");
        assertThat(s.api.get("/v1/subscriptions?customer_id=" + pound).json().get("data")).isEmpty();
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("plus");
        assertThat(s.invoices(sub)).hasSize(1);
    }
}

package dev.accrue.server.subscription;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10's subscription rules, as a customer would meet them through the API on a test clock. */
class SubscriptionRulesTest {
    static final String CATALOG = """
            name: rules
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: app, name: App }
              - { code: lines, name: Phone lines, multiple_subscriptions: true }
              - { code: support, name: Support }
            plans:
              - code: basic
                product: app
                name: Basic
                tier: 1
                intervals: [{ interval: month }, { interval: year }]
                charges:
                  - { type: recurring, code: base, name: Basic, monthly_price: { USD: "10.00" } }
              - code: enterprise
                product: app
                name: Enterprise
                tier: 3
                intervals: [{ interval: year }]
                lock_in: { months: 12 }
                charges:
                  - { type: recurring, code: base, name: Enterprise, monthly_price: { USD: "100.00" } }
              - code: contract
                product: app
                name: Contract
                tier: 2
                intervals: [{ interval: month }]
                lock_in: { months: 12 }
                charges:
                  - { type: recurring, code: base, name: Contract, monthly_price: { USD: "50.00" } }
              - code: line
                product: lines
                name: Line
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: line, name: Line, monthly_price: { USD: "5.00" } }
              - code: care
                product: support
                name: Care
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: care, name: Care, monthly_price: { USD: "7.00" } }
            """;

    @Test
    void aTwelveMonthLockInOnAYearlyPlanLetsACancellationAskedInMonthElevenEndWithTheTerm() {
        Sandbox s = new Sandbox("lock-in effective", CATALOG, "2026-02-01T10:00:00Z");
        String cancelling = s.customer("Cancels Co", "USD", "UTC");
        String downgrading = s.customer("Downgrades Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", cancelling, "plan", "enterprise", "interval", "year")).get("id").asText();
        String other = s.subscribe(Map.of("customer_id", downgrading, "plan", "enterprise", "interval", "year")).get("id").asText();
        s.advanceTo("2026-12-15T10:00:00Z");

        var cancel = s.api.post("/v1/subscriptions/" + sub + "/cancel", null);
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.text("status")).isEqualTo("canceled_at_period_end");
        assertThat(cancel.text("current_period_end")).isEqualTo("2027-02-01");
        var down = s.api.post("/v1/subscriptions/" + other + "/change", Map.of("plan", "basic"));
        assertThat(down.status()).as(down.body()).isEqualTo(200);
        assertThat(down.text("effective_on")).isEqualTo("2027-02-01");

        s.advanceTo("2027-03-01T10:00:00Z");
        // twelve months billed, not twenty-four
        assertThat(s.invoices(sub)).containsExactly("2026-02-01 1200.00 [recurring base 2026-02-01..2027-02-01 1200.00]");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("ended");
        assertThat(s.api.get("/v1/subscriptions/" + other).text("plan")).isEqualTo("basic");
    }

    @Test
    void aRefusalInsideTheLockInGivesTheAllowedDateAsAField() {
        Sandbox s = new Sandbox("lock-in refusal", CATALOG, "2026-02-01T10:00:00Z");
        String c = s.customer("Monthly Contract Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "contract")).get("id").asText();
        s.advanceTo("2026-07-10T10:00:00Z");

        var cancel = s.api.post("/v1/subscriptions/" + sub + "/cancel", null);
        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.code()).isEqualTo("lock_in_active");
        assertThat(cancel.text("allowed_from")).isEqualTo("2027-02-01");
        assertThat(cancel.text("effective_on")).isEqualTo("2026-08-01");
        var down = s.api.post("/v1/subscriptions/" + sub + "/change/preview", Map.of("plan", "basic"));
        assertThat(down.code()).isEqualTo("lock_in_active");
        assertThat(down.text("allowed_from")).isEqualTo("2027-02-01");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("active");

        // in the last month of the term the cancellation takes effect at its end, 2027-02-01: allowed
        s.advanceTo("2027-01-20T10:00:00Z");
        var last = s.api.post("/v1/subscriptions/" + sub + "/cancel", null);
        assertThat(last.status()).as(last.body()).isEqualTo(200);
        assertThat(last.text("current_period_end")).isEqualTo("2027-02-01");
    }

    @Test
    void aSecondLiveSubscriptionToTheSameProductIsRefusedNamingTheFirst() {
        Sandbox s = new Sandbox("one per product", CATALOG, "2026-03-01T10:00:00Z");
        String c = s.customer("Twice Co", "USD", "UTC");
        String first = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();

        var again = s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "contract"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("already_subscribed");
        assertThat(again.text("existing_subscription_id")).isEqualTo(first);
        assertThat(again.text("detail")).contains(first).contains("/change");
        assertThat(s.api.get("/v1/subscriptions?customer_id=" + c).json().get("data")).hasSize(1);

        // another product, and a product that declares several allowed, are fine
        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "care")).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "line")).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "line")).status()).isEqualTo(201);

        // once the first has ended, subscribing again is how the customer comes back
        assertThat(s.api.post("/v1/subscriptions/" + first + "/end", null).text("status")).isEqualTo("ended");
        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "contract")).status()).isEqualTo(201);
        assertThat(s.invoices(first)).containsExactly("2026-03-01 10.00 [recurring base 2026-03-01..2026-04-01 10.00]");
    }

    @Test
    void theTimeZoneOfACustomerWithALiveSubscriptionCannotMoveItsBillingDates() {
        Sandbox s = new Sandbox("zone change", CATALOG, "2026-03-01T10:00:00Z");
        String c = s.customer("Zone Co", "USD", "America/New_York");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();

        var moved = s.api.patch("/v1/customers/" + c, Map.of("time_zone", "Asia/Tokyo"));
        assertThat(moved.status()).isEqualTo(409);
        assertThat(moved.code()).isEqualTo("subscriptions_live");
        assertThat(moved.text("field")).isEqualTo("time_zone");
        assertThat(moved.json().get("live_subscription_ids").get(0).asText()).isEqualTo(sub);
        assertThat(s.api.get("/v1/customers/" + c).text("time_zone")).isEqualTo("America/New_York");
        // other fields still change
        assertThat(s.api.patch("/v1/customers/" + c, Map.of("legal_name", "Zone Company")).status()).isEqualTo(200);

        s.api.post("/v1/subscriptions/" + sub + "/end", null);
        var after = s.api.patch("/v1/customers/" + c, Map.of("time_zone", "Asia/Tokyo"));
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(after.text("time_zone")).isEqualTo("Asia/Tokyo");
    }
}

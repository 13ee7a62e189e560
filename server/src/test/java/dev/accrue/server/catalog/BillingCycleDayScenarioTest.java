package dev.accrue.server.catalog;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 7 on the real server over a test clock: a billing cycle day chosen per subscription puts the period
 * boundaries on that day of the month, clamped to the month end and back (31 → Feb 28 → Mar 31); a start off that day
 * opens with a stub priced by day against the whole period it cuts; a change of day waits for the end of the paid period
 * and bills a prorated bridge up to the new day. Weekly subscriptions have no day of the month and are refused.
 */
class BillingCycleDayScenarioTest {
    static final String CATALOG = """
            name: cycle-days
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
              - { code: sms, name: SMS }
            plans:
              - code: team
                product: crm
                name: Team
                intervals: [{ interval: month }, { interval: year, discount_percent: 10 }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00" } }
              - code: weekly
                product: sms
                name: Weekly
                intervals: [{ interval: week }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00" }, interval_prices: { week: { USD: "7.00" } } }
            """;

    @Test
    void theThirtyFirstClampsToFebruaryAndComesBackAndAChangeBridgesToTheNewDay() {
        Sandbox s = new Sandbox("cycle-days", CATALOG, "2027-01-10T08:00:00Z");
        String c = s.customer("Month End Co", "USD", "UTC");
        var created = s.subscribe(Map.of("customer_id", c, "plan", "team", "billing_cycle_day", 31));
        String sub = created.get("id").asText();
        assertThat(created.get("billing_cycle_day").asInt()).isEqualTo(31);
        assertThat(created.get("next_bill_date").asText()).isEqualTo("2027-01-31");
        s.advanceTo("2027-05-05T08:00:00Z");
        var changed = s.api.post("/v1/subscriptions/" + sub + "/change_billing_cycle_day", Map.of("billing_cycle_day", 15));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("billing_cycle_day").asInt()).isEqualTo(31);
        assertThat(changed.json().get("pending_billing_cycle_day").asInt()).isEqualTo(15);
        s.advanceTo("2027-07-16T08:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                // Jan 10 – Jan 31 of the period Dec 31 – Jan 31: 21/31 of 30.00
                "2027-01-10 20.32 [recurring base 2027-01-10..2027-01-31 20.32]",
                "2027-01-31 30.00 [recurring base 2027-01-31..2027-02-28 30.00]",
                "2027-02-28 30.00 [recurring base 2027-02-28..2027-03-31 30.00]",
                "2027-03-31 30.00 [recurring base 2027-03-31..2027-04-30 30.00]",
                "2027-04-30 30.00 [recurring base 2027-04-30..2027-05-31 30.00]",
                // the bridge May 31 – Jun 15 of the period May 15 – Jun 15: 15/31 of 30.00
                "2027-05-31 14.52 [recurring base 2027-05-31..2027-06-15 14.52]",
                "2027-06-15 30.00 [recurring base 2027-06-15..2027-07-15 30.00]",
                "2027-07-15 30.00 [recurring base 2027-07-15..2027-08-15 30.00]");
        var after = s.api.get("/v1/subscriptions/" + sub).json();
        assertThat(after.get("billing_cycle_day").asInt()).isEqualTo(15);
        assertThat(after.get("pending_billing_cycle_day").isNull()).isTrue();
        // the day in force again changes nothing (a retried request bills no second bridge)
        var same = s.api.post("/v1/subscriptions/" + sub + "/change_billing_cycle_day", Map.of("billing_cycle_day", 15));
        assertThat(same.json().get("pending_billing_cycle_day").isNull()).isTrue();
    }

    @Test
    void aYearlySubscriptionRenewsOnTheCycleDayWithAStubToTheFirstOne() {
        Sandbox s = new Sandbox("cycle-days", CATALOG, "2027-02-10T08:00:00Z");
        String c = s.customer("Yearly Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team", "interval", "year", "billing_cycle_day", 31)).get("id").asText();
        s.advanceTo("2028-02-01T08:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                // Feb 10, 2027 – Jan 31, 2028 of the year from Jan 31, 2027: 355/365 of 324.00
                "2027-02-10 315.12 [recurring base 2027-02-10..2028-01-31 315.12]",
                "2028-01-31 324.00 [recurring base 2028-01-31..2029-01-31 324.00]");
    }

    @Test
    void badDaysAndWeeklySubscriptionsAreRefusedAndADayChangedBeforeBillingAppliesAtOnce() {
        Sandbox s = new Sandbox("cycle-days", CATALOG, "2027-01-10T08:00:00Z");
        String c = s.customer("Careful Co", "USD", "UTC");
        for (int day : new int[] {0, 32}) {
            var bad = s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "team", "billing_cycle_day", day));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.text("code")).isEqualTo("validation_failed");
            assertThat(bad.text("field")).isEqualTo("billing_cycle_day");
        }
        var both = s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "team", "billing_cycle_day", 5, "alignment", "calendar"));
        assertThat(both.text("code")).isEqualTo("validation_failed");
        var weekly = s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "weekly", "billing_cycle_day", 5));
        assertThat(weekly.status()).isEqualTo(400);
        assertThat(weekly.text("code")).isEqualTo("billing_cycle_day_on_weekly_interval");
        assertThat(s.api.get("/v1/subscriptions?customer_id=" + c).json().get("data")).isEmpty(); // nothing written

        String week = s.subscribe(Map.of("customer_id", c, "plan", "weekly")).get("id").asText();
        var weeklyChange = s.api.post("/v1/subscriptions/" + week + "/change_billing_cycle_day", Map.of("billing_cycle_day", 5));
        assertThat(weeklyChange.text("code")).isEqualTo("billing_cycle_day_on_weekly_interval");

        // starts Feb 1; nothing billed yet, so the new day applies at once: Feb 1 – Feb 20 of Jan 20 – Feb 20 (19/31 of 30.00)
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team", "start_date", "2027-02-01")).get("id").asText();
        var moved = s.api.post("/v1/subscriptions/" + sub + "/change_billing_cycle_day", Map.of("billing_cycle_day", 20));
        assertThat(moved.json().get("billing_cycle_day").asInt()).isEqualTo(20);
        assertThat(moved.json().get("pending_billing_cycle_day").isNull()).isTrue();
        s.advanceTo("2027-03-01T08:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2027-02-01 18.39 [recurring base 2027-02-01..2027-02-20 18.39]",
                "2027-02-20 30.00 [recurring base 2027-02-20..2027-03-20 30.00]");
    }

    @Test
    void aCustomersDayIsTheDefaultOfItsNewMonthlySubscriptions() {
        Sandbox s = new Sandbox("cycle-days", CATALOG, "2027-01-10T08:00:00Z");
        String c = s.customer("Payday Co", "USD", "UTC");
        var bad = s.api.patch("/v1/customers/" + c, Map.of("billing_cycle_day", 40));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text("field")).isEqualTo("billing_cycle_day");
        assertThat(s.api.get("/v1/customers/" + c).json().get("billing_cycle_day").isNull()).isTrue();
        assertThat(s.api.patch("/v1/customers/" + c, Map.of("billing_cycle_day", 15)).json().get("billing_cycle_day").asInt()).isEqualTo(15);

        var monthly = s.subscribe(Map.of("customer_id", c, "plan", "team"));
        assertThat(monthly.get("billing_cycle_day").asInt()).isEqualTo(15);
        var weekly = s.subscribe(Map.of("customer_id", c, "plan", "weekly")); // no day of the month: the default does not apply
        assertThat(weekly.get("billing_cycle_day").isNull()).isTrue();
        s.advanceTo("2027-01-16T08:00:00Z");
        assertThat(s.invoices(monthly.get("id").asText())).containsExactly(
                // Jan 10 – Jan 15 of Dec 15 – Jan 15: 5/31 of 30.00
                "2027-01-10 4.84 [recurring base 2027-01-10..2027-01-15 4.84]",
                "2027-01-15 30.00 [recurring base 2027-01-15..2027-02-15 30.00]");
    }
}

package dev.accrue.server.catalog;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 6 on the real server over a test clock: an introductory price for two full periods (the calendar stub
 * before them at its share of the introductory price), a setup fee on activation and a fee when the introduction ends, a
 * fixed term that moves to a named plan or ends the subscription, and the introductory price as the base of a refund.
 */
class PlanPhasesScenarioTest {
    static final String CATALOG = """
            name: phases
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
            plans:
              - code: starter
                product: crm
                name: Starter
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }, { interval: year }]
                introductory: { periods: 2, prices: { base: { USD: "15.00" } } }
                term: { periods: 3, then_plan: standard }
                one_time_fees:
                  - { code: setup, name: Setup, amount: { USD: "99.00" }, on: activation }
                  - { code: review, name: Onboarding review, amount: { USD: "25.00" }, on: introductory_end }
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00" } }
                  - { type: recurring, code: support, name: Support, monthly_price: { USD: "5.00" }, timing: in_arrears }
              - code: standard
                product: crm
                name: Standard
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "40.00" } }
              - code: pilot
                product: crm
                name: Pilot
                tier: 3
                trial_days: 14
                intervals: [{ interval: month }]
                term: { periods: 2 }
                one_time_fees: [{ code: setup, name: Setup, amount: { USD: "50.00" } }]
                cancellation: { effective: immediate, refund: prorated }
                introductory: { periods: 1, prices: { base: { USD: "10.00" } } }
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "20.00" } }
            """;

    @Test
    void introductoryPriceFeesAndATermThatMovesToTheNextPlan() {
        Sandbox s = new Sandbox("phases", CATALOG, "2026-06-16T08:00:00Z");
        String c = s.customer("Phased Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        // the interval waits for the phases: the schedule they are counted on would restart
        var refused = s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "year"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("validation_failed");
        assertThat(refused.text("detail")).contains("until 2026-10-01");
        // Standard, where the term leads, is sold monthly only: a yearly Starter could not move on, so it is refused at once
        String other = s.customer("Yearly Co", "USD", "UTC");
        var yearly = s.api.post("/v1/subscriptions", Map.of("customer_id", other, "plan", "starter", "interval", "year"));
        assertThat(yearly.status()).isEqualTo(400);
        assertThat(yearly.text("detail")).contains("moves to plan standard when its term ends").contains("year");
        s.advanceTo("2026-11-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                // the stub (15/30 of June) at the introductory price, and the setup fee in full
                "2026-06-16 106.50 [recurring base 2026-06-16..2026-07-01 7.50, fee setup 2026-06-16..2026-07-01 99.00]",
                "2026-07-01 17.50 [recurring support 2026-06-16..2026-07-01 2.50, recurring base 2026-07-01..2026-08-01 15.00]",
                "2026-08-01 20.00 [recurring support 2026-07-01..2026-08-01 5.00, recurring base 2026-08-01..2026-09-01 15.00]",
                // two full periods served: the regular price, and the fee of the phase that starts
                "2026-09-01 60.00 [recurring support 2026-08-01..2026-09-01 5.00, recurring base 2026-09-01..2026-10-01 30.00, "
                        + "fee review 2026-09-01..2026-10-01 25.00]",
                // the three-period term ends: September's in-arrears support on Starter, then Standard
                "2026-10-01 45.00 [recurring support 2026-09-01..2026-10-01 5.00, recurring base 2026-10-01..2026-11-01 40.00]",
                "2026-11-01 40.00 [recurring base 2026-11-01..2026-12-01 40.00]");
        var now = s.api.get("/v1/subscriptions/" + sub);
        assertThat(now.text("plan")).isEqualTo("standard");
        var july = s.api.get("/v1/invoices?subscription_id=" + sub + "&issued_from=2026-06-16&issued_before=2026-06-17").json().at("/data/0/lines/1");
        assertThat(july.get("description").asText()).isEqualTo("Starter — Setup (one-time)");
        // phases over, the interval may change now
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "month")).status()).isEqualTo(200);
    }

    @Test
    void aTermWithoutANextPlanEndsTheSubscriptionAndFeesWaitForTheTrialEnd() {
        Sandbox s = new Sandbox("phases", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Pilot Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pilot")).get("id").asText();
        s.advanceTo("2026-09-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-15 60.00 [recurring base 2026-06-15..2026-07-15 10.00, fee setup 2026-06-15..2026-07-15 50.00]",
                "2026-07-15 20.00 [recurring base 2026-07-15..2026-08-15 20.00]");
        var ended = s.api.get("/v1/subscriptions/" + sub);
        assertThat(ended.text("status")).isEqualTo("ended");
        assertThat(ended.text("ended_on")).isEqualTo("2026-08-15");
    }

    @Test
    void anImmediateCancellationRefundsTheIntroductoryPricePaidNotTheRegularOne() {
        Sandbox s = new Sandbox("phases", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Leaving Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pilot")).get("id").asText();
        s.advanceTo("2026-06-25T09:00:00Z");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/cancel", Map.of()).status()).isEqualTo(200);
        // 20 of the 30 days June 15 – July 15 unused, at the 10.00 paid: 6.67 (not 13.33 at the regular 20.00)
        var credit = s.api.get("/v1/customers/" + c + "/credit").json();
        assertThat(credit.get("balance").asText()).isEqualTo("6.67");
    }

    @Test
    void theDemoIntroductoryOfferBillsItsSetupFeeAndHalfPriceMonths() {
        Sandbox s = new Sandbox("crm intro", Sandbox.demoCatalog("numero-crm.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Intro Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "crm_starter_intro")).get("id").asText();
        s.advanceTo("2026-08-01T09:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 64.00 [recurring base 2026-06-01..2026-07-01 15.00, fee setup 2026-06-01..2026-07-01 49.00]",
                "2026-07-01 15.00 [recurring base 2026-07-01..2026-08-01 15.00]",
                "2026-08-01 30.00 [recurring base 2026-08-01..2026-09-01 30.00]");
    }
}

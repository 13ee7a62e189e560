package dev.accrue.server.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 9 on the real server over a test clock: plan and quantity changes and a cancellation asked for a date are
 * performed by the billing run on that date with the proration of the same request sent that day; a downgrade dated inside a
 * period becomes the pending change at its end; the schedule lists both kinds; actions can be revoked; a back-dated action
 * inside the lateness window is performed at once.
 */
class DatedActionsScenarioTest {
    static final String CATALOG = """
            name: dated
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
              - { code: voice, name: Voice }
            plans:
              - code: basic
                product: crm
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                change_policy: { upgrade: immediate, upgrade_invoicing: immediate }
                charges:
                  - { type: recurring, code: base, name: Seat, monthly_price: { USD: "30.00" } }
              - code: plus
                product: crm
                name: Plus
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                change_policy: { upgrade: immediate, upgrade_invoicing: immediate }
                charges:
                  - { type: recurring, code: base, name: Seat, monthly_price: { USD: "60.00" } }
              - code: voice
                product: voice
                name: Voice
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                change_policy: { upgrade: immediate, upgrade_invoicing: immediate }
                cancellation: { effective: immediate, refund: prorated }
                charges:
                  - { type: recurring, code: line, name: Line, monthly_price: { USD: "31.00" } }
              - code: locked
                product: voice
                name: Voice locked
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                lock_in: { months: 12 }
                charges:
                  - { type: recurring, code: line, name: Line, monthly_price: { USD: "20.00" } }
            """;

    @Test
    void planAndQuantityChangesTakeEffectOnTheirDatesWithTheProrationOfTheSameRequestThatDay() {
        Sandbox s = new Sandbox("dated-plan", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Dated Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "quantity", 2)).get("id").asText();
        String actions = "/v1/subscriptions/" + sub + "/scheduled_actions";

        var upgrade = s.api.post(actions, Map.of("action", "change_plan", "effective_date", "2026-06-16", "plan", "plus"));
        assertThat(upgrade.status()).isEqualTo(201);
        assertThat(upgrade.text("status")).isEqualTo("scheduled");
        assertThat(upgrade.text("id")).startsWith("sact_");
        assertThat(s.api.post(actions, Map.of("action", "change_quantity", "effective_date", "2026-07-11", "quantity", 3)).status()).isEqualTo(201);
        // a downgrade dated inside August: as a downgrade asked that day, it takes effect at the period's end (September 1)
        assertThat(s.api.post(actions, Map.of("action", "change_plan", "effective_date", "2026-08-10", "plan", "basic")).status()).isEqualTo(201);
        assertThat(schedule(s, sub)).containsExactly(
                "sact change_plan 2026-06-16 dated scheduled", "sact change_quantity 2026-07-11 dated scheduled",
                "sact change_plan 2026-08-10 dated scheduled");
        // nothing happens before the date
        s.advanceTo("2026-06-15T23:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("basic");

        s.advanceTo("2026-08-11T08:00:00Z");
        assertThat(schedule(s, sub)).containsExactly(
                "sact change_plan 2026-06-16 dated applied", "sact change_quantity 2026-07-11 dated applied",
                "sact change_plan 2026-08-10 dated applied", "pending_plan change_plan 2026-09-01 period_end scheduled");
        var afterDowngrade = s.api.get("/v1/subscriptions/" + sub);
        assertThat(afterDowngrade.text("plan")).isEqualTo("plus");
        assertThat(afterDowngrade.text("pending_plan")).isEqualTo("basic");

        s.advanceTo("2026-09-02T08:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 60.00 [recurring base 2026-06-01..2026-07-01 60.00]",
                // (2 × 60.00 − 2 × 30.00) × 15/30 days, invoiced on the action's day as the plan says
                "2026-06-16 30.00 [proration base 2026-06-16..2026-07-01 30.00]",
                "2026-07-01 120.00 [recurring base 2026-07-01..2026-08-01 120.00]",
                // one more seat at 60.00 for July 11-31: 60.00 × 21/31 = 40.645… → 40.65
                "2026-07-11 40.65 [proration base 2026-07-11..2026-08-01 40.65]",
                "2026-08-01 180.00 [recurring base 2026-08-01..2026-09-01 180.00]",
                "2026-09-01 90.00 [recurring base 2026-09-01..2026-10-01 90.00]");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("basic");
    }

    @Test
    void cancellationOnItsDateRevokingBackDatingAndRefusals() {
        Sandbox s = new Sandbox("dated-cancel", CATALOG, "2026-07-01T08:00:00Z");
        String c = s.customer("Leaving Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "voice")).get("id").asText();
        String actions = "/v1/subscriptions/" + sub + "/scheduled_actions";

        // refusals change nothing
        assertThat(s.api.post(actions, Map.of("effective_date", "2026-07-21")).text("code")).isEqualTo("missing_field");
        var badAction = s.api.post(actions, Map.of("action", "pause", "effective_date", "2026-07-21"));
        assertThat(badAction.status()).isEqualTo(400);
        assertThat(badAction.text("field")).isEqualTo("action");
        assertThat(s.api.post(actions, Map.of("action", "change_quantity", "effective_date", "2026-07-21")).text("field")).isEqualTo("quantity");
        var zero = s.api.post(actions, Map.of("action", "change_quantity", "effective_date", "2026-07-21", "quantity", 0));
        assertThat(zero.text("code")).isEqualTo("validation_failed");
        var planOnCancel = s.api.post(actions, Map.of("action", "cancel", "effective_date", "2026-07-21", "plan", "voice"));
        assertThat(planOnCancel.text("code")).isEqualTo("validation_failed");
        assertThat(planOnCancel.text("field")).isEqualTo("plan");
        var beforeStart = s.api.post(actions, Map.of("action", "cancel", "effective_date", "2026-06-20"));
        assertThat(beforeStart.text("code")).isEqualTo("validation_failed");
        assertThat(beforeStart.text("field")).isEqualTo("effective_date");
        assertThat(beforeStart.text("detail")).contains("before the subscription starts, on 2026-07-01");
        var unknownPlan = s.api.post(actions, Map.of("action", "change_plan", "effective_date", "2026-07-21", "plan", "nope"));
        assertThat(unknownPlan.status()).isEqualTo(404);
        assertThat(unknownPlan.text("field")).isEqualTo("plan");
        var otherProduct = s.api.post(actions, Map.of("action", "change_plan", "effective_date", "2026-07-21", "plan", "plus"));
        assertThat(otherProduct.text("code")).isEqualTo("validation_failed");
        assertThat(s.api.get(actions).json().get("data")).isEmpty();

        var cancel = s.api.post(actions, Map.of("action", "cancel", "effective_date", "2026-07-21", "reason", "moving"));
        assertThat(cancel.status()).isEqualTo(201);
        var twice = s.api.post(actions, Map.of("action", "cancel", "effective_date", "2026-07-21"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.text("code")).isEqualTo("already_exists");
        String seats = s.api.post(actions, Map.of("action", "change_quantity", "effective_date", "2026-07-25", "quantity", 5)).text("id");
        var revoked = s.api.post(actions + "/" + seats + "/revoke", Map.of());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.text("status")).isEqualTo("revoked");
        var again = s.api.post(actions + "/" + seats + "/revoke", Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("code")).isEqualTo("action_not_scheduled");
        assertThat(s.api.post(actions + "/pending_plan/revoke", Map.of()).text("code")).isEqualTo("action_not_scheduled");
        // dated after the cancellation: it cannot happen and will be marked failed on the way
        s.api.post(actions, Map.of("action", "change_quantity", "effective_date", "2026-07-28", "quantity", 4));

        // back-dated two days (inside the 35-day lateness window): performed at once, its invoice dated today
        s.advanceTo("2026-07-05T08:00:00Z");
        var late = s.api.post(actions, Map.of("action", "change_quantity", "effective_date", "2026-07-03", "quantity", 2));
        assertThat(late.status()).isEqualTo(201);
        assertThat(late.text("status")).isEqualTo("applied");
        assertThat(s.api.get("/v1/subscriptions/" + sub).json().get("quantity").asInt()).isEqualTo(2);
        var tooLate = s.api.post(actions, Map.of("action", "change_quantity", "effective_date", "2026-06-30", "quantity", 3));
        assertThat(tooLate.text("field")).isEqualTo("effective_date");

        s.advanceTo("2026-08-02T08:00:00Z");
        var ended = s.api.get("/v1/subscriptions/" + sub);
        assertThat(ended.text("status")).isEqualTo("ended");
        assertThat(ended.text("ended_on")).isEqualTo("2026-07-21");
        assertThat(ended.text("cancel_reason")).isEqualTo("moving");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-07-01 31.00 [recurring line 2026-07-01..2026-08-01 31.00]",
                // the second line from July 3: 31.00 × 29/31 = 29.00
                "2026-07-05 29.00 [proration line 2026-07-03..2026-08-01 29.00]");
        // immediate cancellation with prorated refund on July 21: 2 lines × 31.00 × 11/31 = 22.00 of credit
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("22.00");
        assertThat(schedule(s, sub)).containsExactly(
                "sact change_quantity 2026-07-03 dated applied", "sact cancel 2026-07-21 dated applied",
                "sact change_quantity 2026-07-25 dated revoked", "sact change_quantity 2026-07-28 dated failed");
        JsonNode failed = s.api.get(actions).json().get("data").get(3);
        assertThat(failed.get("failure").asText()).contains("ended on 2026-07-21");
    }

    @Test
    void anEndOfPeriodCancellationDatedMidPeriodBecomesThePeriodEndChangeAndIsRevokedThere() {
        Sandbox s = new Sandbox("dated-eop", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Staying Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String actions = "/v1/subscriptions/" + sub + "/scheduled_actions";
        String key = "dated-eop-" + sub;
        var first = s.api.withHeader("Idempotency-Key", key).post(actions, Map.of("action", "cancel", "effective_date", "2026-06-10"));
        var replay = s.api.withHeader("Idempotency-Key", key).post(actions, Map.of("action", "cancel", "effective_date", "2026-06-10"));
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.text("id")).isEqualTo(first.text("id"));
        assertThat(s.api.get(actions).json().get("data")).hasSize(1);

        s.advanceTo("2026-06-12T08:00:00Z");
        // the plan cancels at period end: on June 10 the cancellation became the pending one for July 1
        assertThat(schedule(s, sub)).containsExactly("sact cancel 2026-06-10 dated applied", "cancel_at_period_end cancel 2026-07-01 period_end scheduled");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("canceled_at_period_end");
        var revoked = s.api.post(actions + "/cancel_at_period_end/revoke", Map.of());
        assertThat(revoked.text("status")).isEqualTo("revoked");
        assertThat(revoked.text("source")).isEqualTo("period_end");
        s.advanceTo("2026-07-02T08:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("active");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 30.00 [recurring base 2026-06-01..2026-07-01 30.00]",
                "2026-07-01 30.00 [recurring base 2026-07-01..2026-08-01 30.00]");
    }

    @Test
    void aLockInIsJudgedOnTheDayTheActionWouldTakeEffect() {
        Sandbox s = new Sandbox("dated-lock", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Bound Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "locked")).get("id").asText();
        String actions = "/v1/subscriptions/" + sub + "/scheduled_actions";
        var early = s.api.post(actions, Map.of("action", "cancel", "effective_date", "2026-09-15"));
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.text("code")).isEqualTo("lock_in_active");
        assertThat(early.text("allowed_from")).isEqualTo("2027-06-01");
        assertThat(early.text("effective_on")).isEqualTo("2026-10-01");
        var downgrade = s.api.post(actions, Map.of("action", "change_plan", "effective_date", "2026-09-15", "plan", "voice"));
        assertThat(downgrade.text("code")).isEqualTo("lock_in_active");
        // asked for in month 12, it takes effect at the term's end: accepted
        assertThat(s.api.post(actions, Map.of("action", "cancel", "effective_date", "2027-05-20")).status()).isEqualTo(201);
        assertThat(s.api.get(actions).json().get("data")).hasSize(1);
    }

    private static List<String> schedule(Sandbox s, String sub) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : s.api.get("/v1/subscriptions/" + sub + "/scheduled_actions").json().get("data")) {
            String id = a.get("id").asText();
            out.add((id.startsWith("sact_") ? "sact" : id) + " " + a.get("action").asText() + " " + a.get("effective_date").asText() + " "
                    + a.get("source").asText() + " " + a.get("status").asText());
        }
        return out;
    }
}

package dev.accrue.server.rental;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rented phone numbers: provisioning within the quota, the first partial month by day, full months, trial, hold, release. */
class PhoneNumberTest {
    static Map<String, Object> number(String n, String country, String type) {
        return Map.of("number", n, "country", country, "type", type);
    }

    @Test
    void aNumberProvisionedOnThe15thIsProratedThenChargedInFullEachMonthUntilReleased() {
        Sandbox s = new Sandbox("numbers", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String c = s.customer("Dialer", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        s.advanceTo("2026-06-15T09:00:00Z");
        var provisioned = s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+14155550100", "US", "local"));
        assertThat(provisioned.status()).as(provisioned.toString()).isEqualTo(201);
        String id = provisioned.json().at("/number/id").asText();
        assertThat(provisioned.json().at("/number/status").asText()).isEqualTo("active");
        assertThat(provisioned.json().at("/invoice/total").asText()).isEqualTo("1.61");

        // the plan allows one number: the refusal names the limit and the plan that raises it
        var second = s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+14155550101", "US", "local"));
        assertThat(second.code()).isEqualTo("quota_exceeded");
        assertThat(second.text("detail")).contains("allows 1 phone_numbers").contains("plan pro allows more");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/quotas/phone_numbers").text("display")).isEqualTo("1 of 1 used");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+14155550101", "FR", "local")).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers", number("0612", "US", "local")).code()).isEqualTo("validation_failed");

        // a failed payment puts it on hold; renewing makes it active again without charging July twice
        s.advanceTo("2026-07-20T09:00:00Z");
        var held = s.api.post("/v1/subscriptions/" + sub + "/numbers/" + id + "/hold", null);
        assertThat(held.text("status")).as(held.toString()).isEqualTo("on_hold");
        assertThat(held.text("release_on")).isEqualTo("2026-07-27");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers/" + id + "/hold", null).code()).isEqualTo("number_not_active");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers/" + id + "/renew", null).json().at("/number/status").asText()).isEqualTo("active");
        s.advanceTo("2026-08-20T09:00:00Z");
        var released = s.api.delete("/v1/subscriptions/" + sub + "/numbers/" + id);
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        assertThat(released.text("status")).isEqualTo("released");
        assertThat(s.api.delete("/v1/subscriptions/" + sub + "/numbers/" + id).code()).isEqualTo("number_not_active");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/quotas/phone_numbers").text("display")).isEqualTo("0 of 1 used");
        // a released number cannot be taken back
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+14155550100", "US", "local")).code()).isEqualTo("already_exists");
        // another customer's subscription cannot touch it
        String other = s.subscribe(Map.of("customer_id", s.customer("Other", "USD", "UTC"), "plan", "starter")).get("id").asText();
        assertThat(s.api.delete("/v1/subscriptions/" + other + "/numbers/" + id).status()).isEqualTo(404);

        s.advanceTo("2026-10-02T09:00:00Z");
        // one advance bills the periods first, then the months of the number: compare regardless of creation order
        assertThat(s.invoices(sub)).containsExactlyInAnyOrder(
                "2026-06-10 29.00 [recurring base 2026-06-10..2026-07-10 29.00]",
                "2026-06-15 1.61 [fee phone_number 2026-06-15..2026-06-16 1.00, rental phone_number 2026-06-15..2026-07-01 0.61]",
                "2026-07-01 1.15 [rental phone_number 2026-07-01..2026-08-01 1.15]",
                "2026-07-10 29.00 [recurring base 2026-07-10..2026-08-10 29.00]",
                "2026-08-01 1.15 [rental phone_number 2026-08-01..2026-09-01 1.15]",
                "2026-08-10 29.00 [recurring base 2026-08-10..2026-09-10 29.00]",
                "2026-09-10 29.00 [recurring base 2026-09-10..2026-10-10 29.00]");
    }

    @Test
    void theFirstNumberHasAFreeTrialRegulatoryFeesAreLinesAndAnUnpaidNumberIsHeldThenReleased() {
        Sandbox s = new Sandbox("numbers trial", Sandbox.demoCatalog("callr.yaml"), "2026-06-27T08:00:00Z");
        String c = s.customer("Caller FR", "EUR", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "payg")).get("id").asText();
        var us = s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+12125550100", "US", "local"));
        assertThat(us.status()).as(us.toString()).isEqualTo(201);
        assertThat(us.json().at("/number/trial_ends_on").asText()).isEqualTo("2026-07-04");
        assertThat(us.json().get("invoice").isNull()).isTrue(); // inside the trial, no setup fee: nothing to charge
        String usId = us.json().at("/number/id").asText();

        s.advanceTo("2026-07-10T08:00:00Z");
        var de = s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+4930555010", "DE", "local"));
        assertThat(de.json().at("/number/trial_ends_on").isNull()).isTrue(); // only the first number has a trial
        String deId = de.json().at("/number/id").asText();
        assertThat(s.api.patch("/v1/subscriptions/" + sub + "/numbers/" + usId, Map.of("auto_pay", false)).text("auto_pay")).isEqualTo("false");

        s.advanceTo("2026-08-01T08:00:00Z");
        JsonNode held = s.api.get("/v1/subscriptions/" + sub + "/numbers").json().get("data").get(0);
        assertThat(held.get("status").asText()).isEqualTo("on_hold");
        assertThat(held.get("release_on").asText()).isEqualTo("2026-08-08");
        s.advanceTo("2026-08-08T08:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/numbers").json().at("/data/0/status").asText()).isEqualTo("released");

        // the German number: auto-pay off in August, held on Sep 1, renewed on Sep 3 for the rest of September
        s.api.patch("/v1/subscriptions/" + sub + "/numbers/" + deId, Map.of("auto_pay", false));
        s.advanceTo("2026-09-03T08:00:00Z");
        var renewed = s.api.post("/v1/subscriptions/" + sub + "/numbers/" + deId + "/renew", null);
        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
        assertThat(renewed.json().at("/number/status").asText()).isEqualTo("active");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers/" + deId + "/renew", null).code()).isEqualTo("number_not_active");

        // US: trial to Jul 4, then 28/31 of July with its regulatory fee; held on Aug 1 (auto-pay off), released Aug 8, never charged again.
        // DE: 22/31 of July, all of August, held Sep 1, renewed Sep 3 for 28/30 of September. (The pay-as-you-go plan itself owed nothing.)
        assertThat(s.invoices(sub)).containsExactly(
                "2026-07-01 1.13 [rental phone_number 2026-07-04..2026-08-01 0.90, fee phone_number 2026-07-04..2026-08-01 0.23]",
                "2026-07-10 1.77 [rental phone_number 2026-07-10..2026-08-01 1.42, fee phone_number 2026-07-10..2026-08-01 0.35]",
                "2026-08-01 2.50 [rental phone_number 2026-08-01..2026-09-01 2.00, fee phone_number 2026-08-01..2026-09-01 0.50]",
                "2026-09-03 2.34 [rental phone_number 2026-09-03..2026-10-01 1.87, fee phone_number 2026-09-03..2026-10-01 0.47]");
    }
}

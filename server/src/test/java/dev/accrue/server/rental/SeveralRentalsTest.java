package dev.accrue.server.rental;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catalog with several rental add-ons: each plan's customers rent under the add-on available on their plan
 * (or the one they name, when several are), and every later step — monthly charges, hold grace, renewal,
 * release and the quota place — follows the number's own add-on, also after a plan change.
 */
class SeveralRentalsTest {
    // business numbers are listed first: a rule that took the first rental would price everyone's numbers there
    static final String CATALOG = """
            name: numbers
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            features:
              - { code: phone_numbers, name: Phone numbers, type: quota, unit: number }
              - { code: intl_numbers, name: International numbers, type: quota, unit: number }
            products:
              - { code: tel, name: Telephony }
            plans:
              - code: basic
                product: tel
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Basic, monthly_price: { EUR: "10.00" } }
                entitlements:
                  quotas: { phone_numbers: 5 }
              - code: business
                product: tel
                name: Business
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Business, monthly_price: { EUR: "50.00" } }
                entitlements:
                  quotas: { phone_numbers: 5, intl_numbers: 2 }
            add_ons:
              - code: business_numbers
                name: Business number
                type: rental
                available_on: [business]
                rental:
                  quota: phone_numbers
                  attributes: [country, type]
                  hold_grace_days: 3
                  options:
                    - { match: { country: FR, type: local }, monthly_fee: { EUR: "3.10" } }
              - code: intl_numbers
                name: International number
                type: rental
                available_on: [business]
                rental:
                  quota: intl_numbers
                  attributes: [country, type]
                  hold_grace_days: 3
                  options:
                    - { match: { country: US, type: local }, monthly_fee: { EUR: "2.00" } }
              - code: basic_numbers
                name: Basic number
                type: rental
                available_on: [basic]
                rental:
                  quota: phone_numbers
                  attributes: [country, type]
                  hold_grace_days: 10
                  options:
                    - { match: { country: FR, type: local }, monthly_fee: { EUR: "1.00" } }
            """;

    static Map<String, Object> number(String n, String country, String type) {
        return Map.of("number", n, "country", country, "type", type);
    }

    static Map<String, Object> number(String n, String country, String type, String addOn) {
        return Map.of("number", n, "country", country, "type", type, "add_on", addOn);
    }

    /** The rental lines of the subscription's invoices, oldest first, as "issue_date charge_code description amount". */
    private static List<String> rentalLines(Sandbox s, String sub) {
        List<String> out = new ArrayList<>();
        JsonNode invoices = s.api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data");
        for (JsonNode i : invoices) {
            i.get("lines").forEach(l -> {
                if (l.get("kind").asText().equals("rental")) {
                    out.add(i.get("issue_date").asText() + " " + l.get("charge_code").asText() + " " + l.get("amount").asText());
                }
            });
        }
        return out.reversed();
    }

    @Test
    void aBasicCustomerRentsUnderTheBasicAddOnAndKeepsItThroughHoldRenewalAPlanChangeAndRelease() {
        Sandbox s = new Sandbox("basic numbers", CATALOG, "2026-06-01T08:00:00Z");
        String sub = s.subscribe(Map.of("customer_id", s.customer("Basic Co", "EUR", "UTC"), "plan", "basic")).get("id").asText();
        var provisioned = s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+33187654321", "FR", "local"));
        assertThat(provisioned.status()).as(provisioned.toString()).isEqualTo(201);
        assertThat(provisioned.json().at("/number/add_on").asText()).isEqualTo("basic_numbers");
        String id = provisioned.json().at("/number/id").asText();
        // the business add-on is not sold with basic
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+33187654322", "FR", "local", "business_numbers")).code())
                .isEqualTo("add_on_not_available");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+33187654322", "FR", "local", "no_such")).code())
                .isEqualTo("validation_failed");

        // on hold for the basic add-on's grace (10 days), not the business one's (3)
        s.advanceTo("2026-07-05T08:00:00Z");
        var held = s.api.post("/v1/subscriptions/" + sub + "/numbers/" + id + "/hold", null);
        assertThat(held.text("release_on")).as(held.toString()).isEqualTo("2026-07-15");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers/" + id + "/renew", null).status()).isEqualTo(200);

        // a move to business keeps the number's add-on and price
        var changed = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "business"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        s.advanceTo("2026-08-10T08:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/numbers").json().at("/data/0/add_on").asText()).isEqualTo("basic_numbers");
        var released = s.api.delete("/v1/subscriptions/" + sub + "/numbers/" + id);
        assertThat(released.text("status")).as(released.toString()).isEqualTo("released");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/quotas/phone_numbers").text("display")).isEqualTo("0 of 5 used");
        s.advanceTo("2026-09-02T08:00:00Z");

        // June from the 1st, July and August in full, at the basic price; nothing after the release
        assertThat(rentalLines(s, sub)).containsExactly(
                "2026-06-01 basic_numbers 1.00",
                "2026-07-01 basic_numbers 1.00",
                "2026-08-01 basic_numbers 1.00");
    }

    @Test
    void aBusinessCustomerNamesOneOfItsPlansRentalsAndEachNumberFollowsItsOwn() {
        Sandbox s = new Sandbox("business numbers", CATALOG, "2026-06-01T08:00:00Z");
        String sub = s.subscribe(Map.of("customer_id", s.customer("Business Co", "EUR", "UTC"), "plan", "business")).get("id").asText();
        // two rentals are available on business: the request must say which
        var unnamed = s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+33187650001", "FR", "local"));
        assertThat(unnamed.code()).isEqualTo("missing_field");
        assertThat(unnamed.text("field")).isEqualTo("add_on");
        assertThat(unnamed.text("detail")).contains("business_numbers").contains("intl_numbers");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+33187650001", "FR", "local", "basic_numbers")).code())
                .isEqualTo("add_on_not_available");

        var fr = s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+33187650001", "FR", "local", "business_numbers"));
        assertThat(fr.status()).as(fr.toString()).isEqualTo(201);
        var us = s.api.post("/v1/subscriptions/" + sub + "/numbers", number("+12025550123", "US", "local", "intl_numbers"));
        assertThat(us.status()).as(us.toString()).isEqualTo(201);
        // each counts against its own add-on's quota
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/quotas/phone_numbers").text("display")).isEqualTo("1 of 5 used");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/quotas/intl_numbers").text("display")).isEqualTo("1 of 2 used");

        s.advanceTo("2026-07-02T08:00:00Z");
        // releasing the US number frees its place in the international quota
        s.api.delete("/v1/subscriptions/" + sub + "/numbers/" + us.json().at("/number/id").asText());
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/quotas/intl_numbers").text("display")).isEqualTo("0 of 2 used");
        assertThat(rentalLines(s, sub)).containsExactlyInAnyOrder(
                "2026-06-01 business_numbers 3.10",
                "2026-06-01 intl_numbers 2.00",
                "2026-07-01 business_numbers 3.10",
                "2026-07-01 intl_numbers 2.00");
    }
}

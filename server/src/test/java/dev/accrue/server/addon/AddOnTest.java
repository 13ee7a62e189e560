package dev.accrue.server.addon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Recurring add-on packages (broadcast email) and one-time bundles (minutes), from the demo catalogs. */
class AddOnTest {
    static JsonNode emailUsage(Sandbox s, String sub) {
        for (JsonNode c : s.api.get("/v1/subscriptions/" + sub + "/usage").json().get("charges")) {
            if (c.get("metric").asText().equals("email_sends")) {
                return c;
            }
        }
        throw new AssertionError("no email_sends in usage");
    }

    static void sendEmails(Sandbox s, String customer, String prefix, int n, String at) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(Map.of("event_id", prefix + i, "customer_id", customer, "metric", "email_sends", "timestamp", at));
        }
        assertThat(s.api.post("/v1/events/batch", Map.of("events", events)).json().get("accepted").asInt()).isEqualTo(n);
    }

    @Test
    void emailPackagesAreBilledPerCalendarMonthInFullAndUpgradesGrantTheFullNewAllowance() {
        Sandbox s = new Sandbox("email packages", Sandbox.demoCatalog("numero-crm.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Broadcaster", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "crm_plus")).get("id").asText();

        // seed: the 50,000-send package bought on the 15th costs the full month and grants 50,000 sends until the 30th
        s.advanceTo("2026-06-15T09:00:00Z");
        JsonNode preview = s.api.post("/v1/subscriptions/" + sub + "/add_ons/preview", Map.of("add_on", "email_50k")).json();
        assertThat(preview.get("total").asText()).isEqualTo("50.00");
        assertThat(preview.get("starts_on").asText()).isEqualTo("2026-06-15");
        var bought = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "email_50k"));
        assertThat(bought.status()).as(bought.toString()).isEqualTo(201);
        assertThat(bought.json().at("/add_on/status").asText()).isEqualTo("active");
        assertThat(emailUsage(s, sub).get("included").asText()).isEqualTo("50000");
        sendEmails(s, c, "jun", 3, "2026-06-15T08:00:00Z");
        assertThat(emailUsage(s, sub).get("remaining").asText()).isEqualTo("49997");
        var again = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "email_50k"));
        assertThat(again.code()).isEqualTo("add_on_already_active");

        // the 1st: CRM + email on one invoice, allowance reset (no rollover)
        s.advanceTo("2026-07-01T09:00:00Z");
        assertThat(emailUsage(s, sub).get("used").asText()).isEqualTo("0");
        sendEmails(s, c, "jul", 10, "2026-07-01T08:30:00Z");

        // upgrade on the 15th: the full 100k price now, and 100,000 fresh sends for the rest of July
        s.advanceTo("2026-07-15T09:00:00Z");
        var upgrade = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "email_100k"));
        assertThat(upgrade.json().at("/checkout/upgrade").asBoolean()).isTrue();
        assertThat(emailUsage(s, sub).get("included").asText()).isEqualTo("100010");

        // downgrade on Aug 10: nothing charged now, the smaller package from Sep 1
        s.advanceTo("2026-08-10T09:00:00Z");
        var downgrade = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "email_50k"));
        assertThat(downgrade.status()).as(downgrade.toString()).isEqualTo(201);
        assertThat(downgrade.json().get("invoice").isNull()).isTrue();
        assertThat(downgrade.json().at("/add_on/status").asText()).isEqualTo("scheduled");
        assertThat(emailUsage(s, sub).get("included").asText()).isEqualTo("100000");
        s.advanceTo("2026-09-02T09:00:00Z");
        assertThat(emailUsage(s, sub).get("included").asText()).isEqualTo("50000");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 60.00 [recurring base 2026-06-01..2026-07-01 60.00]",
                "2026-06-15 50.00 [add_on email_50k 2026-06-01..2026-07-01 50.00]",
                "2026-07-01 110.00 [recurring base 2026-07-01..2026-08-01 60.00, add_on email_50k 2026-07-01..2026-08-01 50.00]",
                "2026-07-15 90.00 [add_on email_100k 2026-07-01..2026-08-01 90.00]",
                "2026-08-01 150.00 [recurring base 2026-08-01..2026-09-01 60.00, add_on email_100k 2026-08-01..2026-09-01 90.00]",
                "2026-09-01 110.00 [recurring base 2026-09-01..2026-10-01 60.00, add_on email_50k 2026-09-01..2026-10-01 50.00]");
    }

    @Test
    void aPackageCanStartOnTheNextFirstAndPrerequisitesAreHonoured() {
        Sandbox s = new Sandbox("email next month", Sandbox.demoCatalog("numero-crm.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Planner", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "crm_essentials")).get("id").asText();
        s.advanceTo("2026-06-20T09:00:00Z");
        var sms = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "sms"));
        assertThat(sms.status()).isEqualTo(409);
        assertThat(sms.code()).isEqualTo("add_on_not_available");
        assertThat(sms.text("detail")).contains("crm_plus or crm_pro");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "nope")).status()).isEqualTo(404);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "email_50k", "start", "whenever")).code())
                .isEqualTo("validation_failed");
        var later = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "email_250k", "start", "next_period"));
        assertThat(later.status()).as(later.toString()).isEqualTo(201);
        assertThat(later.json().at("/add_on/starts_on").asText()).isEqualTo("2026-07-01");
        assertThat(later.json().get("invoice").isNull()).isTrue();
        s.advanceTo("2026-08-01T09:00:00Z");
        // cancelled in August: it still runs (and was paid) to the end of August, nothing in September
        String id = later.json().at("/add_on/id").asText();
        assertThat(s.api.delete("/v1/subscriptions/" + sub + "/add_ons/" + id).text("ends_on")).isEqualTo("2026-09-01");
        s.advanceTo("2026-09-01T09:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 30.00 [recurring base 2026-06-01..2026-07-01 30.00]",
                "2026-07-01 230.00 [recurring base 2026-07-01..2026-08-01 30.00, add_on email_250k 2026-07-01..2026-08-01 200.00]",
                "2026-08-01 230.00 [recurring base 2026-08-01..2026-09-01 30.00, add_on email_250k 2026-08-01..2026-09-01 200.00]",
                "2026-09-01 30.00 [recurring base 2026-09-01..2026-10-01 30.00]");
    }

    @Test
    void aMinuteBundleIsPreviewedBoughtConsumedAfterThePlanAllowanceAndLapsesAtPeriodEnd() {
        Sandbox s = new Sandbox("bundles", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        // the bundle is taxed by the one tax rule, like every document: a US seller collecting 10 % where the customer is
        // (the tax line has no service period of its own: it carries the document's, and a bundle invoice has none)
        s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "US", "rates", List.of(Map.of("country", "US", "type", "Sales tax", "rate", "0.10"))));
        String c = s.customer("Caller", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        s.advanceTo("2026-06-20T09:00:00Z");
        JsonNode preview = s.api.post("/v1/subscriptions/" + sub + "/add_ons/preview", Map.of("add_on", "bundle_nexus_300")).json();
        assertThat(List.of(preview.get("price").asText(), preview.get("up_front_fee").asText(), preview.get("tax").asText(), preview.get("total").asText()))
                .containsExactly("45.00", "2.00", "4.70", "51.70");
        assertThat(preview.get("includes").toString()).isEqualTo("[\"sms\",\"voice\"]");
        assertThat(preview.at("/grants/0/quantity").asText()).isEqualTo("18000");
        assertThat(preview.get("ends_on").asText()).isEqualTo("2026-07-10");
        var bought = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "bundle_nexus_300"));
        assertThat(bought.status()).as(bought.toString()).isEqualTo(201);
        assertThat(bought.json().at("/invoice/total").asText()).isEqualTo("51.70");
        JsonNode minutes = s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0");
        assertThat(minutes.get("included").asText()).isEqualTo("24000"); // 100 plan minutes + 300 bundle minutes, in seconds
        // calls are blocked past the allowance, but the bundle's minutes may be used: authorization counts them too
        var call = s.api.post("/v1/authorizations", Map.of("customer_id", c, "metric", "call_seconds", "requested", 30000));
        assertThat(call.text("granted")).isEqualTo("24000");
        assertThat(s.api.post("/v1/authorizations/" + call.text("authorization_id") + "/release", null).status()).isEqualTo(200);
        s.advanceTo("2026-07-11T09:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0/included").asText()).isEqualTo("6000");
        assertThat(s.invoices(sub).get(1)).isEqualTo("2026-06-20 51.70 [bundle bundle_nexus_300 2026-06-20..2026-07-10 45.00, "
                + "fee bundle_nexus_300 2026-06-20..2026-07-10 2.00, tax Sales tax null..null 4.70]");
        var rental = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "phone_number"));
        assertThat(rental.code()).isEqualTo("validation_failed");
    }

    @Test
    void aBundleThatNeverExpiresCarriesItsUnusedUnitsIntoTheNextPeriods() {
        String catalog = Sandbox.demoCatalog("voiceagent.yaml").replaceFirst("(?s)(code: bundle_nexus_300.*?)expiry: end_of_billing_period", "$1expiry: never");
        assertThat(catalog).contains("expiry: never");
        Sandbox s = new Sandbox("lasting bundle", catalog, "2026-06-10T08:00:00Z");
        String c = s.customer("Saver", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        s.advanceTo("2026-06-20T09:00:00Z");
        var bought = s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "bundle_nexus_300"));
        assertThat(bought.status()).as(bought.toString()).isEqualTo(201);
        assertThat(bought.json().at("/checkout/ends_on").isNull()).isTrue();
        // 20,000 s this period: 6,000 from the plan, 14,000 from the bundle — 4,000 s carry over
        assertThat(s.api.post("/v1/events", Map.of("event_id", "long", "customer_id", c, "metric", "call_seconds", "timestamp", "2026-06-20T08:00:00Z",
                "properties", Map.of("duration_seconds", 20000))).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-07-11T09:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0/included").asText()).isEqualTo("10000");
        // unused in July: all 4,000 s are still there in August
        s.advanceTo("2026-08-11T09:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0/included").asText()).isEqualTo("10000");
    }
}

package dev.accrue.server.payment;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.accrue.server.payment.PaymentFixtures.attempts;
import static dev.accrue.server.payment.PaymentFixtures.events;
import static dev.accrue.server.payment.PaymentFixtures.subscriptionStatus;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13: every retry fails → grace → suspended (authorization and new resources refused, numbers On Hold) → a new card → paid and reinstated. */
class SuspensionScenarioTest {

    @Test
    void allRetriesFailThenSuspensionThenANewCardPaysAndReinstatesWithinAMinute() {
        Sandbox s = new Sandbox("suspension", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Lapsed Co", "USD", "UTC");
        String failing = PaymentFixtures.addCard(s.api, c, PaymentFixtures.CHARGE_FAILS).get("id").asText();
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        var number = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+14155550100", "country", "US", "type", "local"));
        assertThat(number.status()).as(number.toString()).isEqualTo(201);
        String numberId = number.json().at("/number/id").asText();
        String invoice = PaymentFixtures.invoiceOf(s, sub).get("id").asText();
        String firstInvoice = s.api.get("/v1/invoices?subscription_id=" + sub + "&limit=100").json().at("/data/" + (s.invoices(sub).size() - 1) + "/id").asText();

        // the default schedule: the first try, then 1, 3, 5 and 7 days after the first failure, then 3 days of grace
        for (String at : new String[] {"2026-06-01T09:00:00Z", "2026-06-02T10:00:00Z", "2026-06-04T10:00:00Z", "2026-06-06T10:00:00Z", "2026-06-08T10:00:00Z"}) {
            s.advanceTo(at);
        }
        assertThat(attempts(s.api, firstInvoice)).hasSize(5).allMatch(a -> a.startsWith("failed card_declined"));
        assertThat(subscriptionStatus(s.api, sub)).isEqualTo("active"); // still in grace
        s.advanceTo("2026-06-11T09:00:00Z");
        assertThat(subscriptionStatus(s.api, sub)).isEqualTo("active");
        s.advanceTo("2026-06-11T11:00:00Z");
        assertThat(subscriptionStatus(s.api, sub)).isEqualTo("suspended");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/numbers").json().at("/data/0/status").asText()).isEqualTo("on_hold");
        var call = s.api.post("/v1/authorizations", Map.of("customer_id", c, "metric", "call_seconds", "requested", 60));
        assertThat(call.body()).contains("subscription_suspended");
        var another = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+14155550101", "country", "US", "type", "local"));
        assertThat(another.code()).isEqualTo("subscription_suspended");
        assertThat(events(s.tenant.id(), null)).contains("customer.suspended " + c, "number.on_hold " + numberId);
        assertThat(s.api.get("/v1/audit_events?object_id=" + c).body()).contains("customer.suspended");

        // a new card: every open invoice is tried again at once, paid, and the customer reinstated in the same transaction
        String good = PaymentFixtures.addCard(s.api, c, PaymentFixtures.VISA_OK).get("id").asText();
        assertThat(good).isNotEqualTo(failing);
        s.advanceTo("2026-06-11T11:01:00Z");
        assertThat(s.api.get("/v1/invoices/" + firstInvoice).text("status")).isEqualTo("paid");
        assertThat(s.api.get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(subscriptionStatus(s.api, sub)).isEqualTo("active");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/numbers").json().at("/data/0/status").asText()).isEqualTo("active");
        assertThat(events(s.tenant.id(), null)).contains("customer.reinstated " + c, "number.reactivated " + numberId);
        assertThat(s.api.post("/v1/authorizations", Map.of("customer_id", c, "metric", "call_seconds", "requested", 60)).body())
                .doesNotContain("subscription_suspended");
        // the new card is the backup (added last): the failing default was tried first in the round, then the new one paid
        assertThat(attempts(s.api, firstInvoice).getLast()).startsWith("succeeded null").endsWith("visa ···· 4242");
    }
}

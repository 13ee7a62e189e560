package dev.accrue.server.payment;

import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13, bad input: card numbers outside tokenization, declined or unaccepted methods, the last method, settings. */
class PaymentInputTest {

    @Test
    void aRawCardNumberIsRefusedEverywhereButTokenizationAndNeverStoredOrLogged() throws Exception {
        Sandbox s = new Sandbox("raw-card", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer("Careless Co", "USD", "UTC");
        var asToken = s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", "4242 4242 4242 4242"));
        assertThat(asToken.code()).isEqualTo("raw_card_number_refused");
        assertThat(asToken.body()).doesNotContain("4242 4242").doesNotContain("4242424242424242");
        var inMetadata = s.api.patch("/v1/customers/" + c, Map.of("metadata", Map.of("note", "card 5555-5555-5555-4444 exp 12/30")));
        assertThat(inMetadata.code()).isEqualTo("raw_card_number_refused");
        assertThat(inMetadata.text("field")).isEqualTo("metadata.note");
        var asNumber = s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", 4000000000000002L));
        assertThat(asNumber.code()).isEqualTo("raw_card_number_refused");
        assertThat(s.api.get("/v1/customers?query=4242424242424242").code()).isEqualTo("raw_card_number_refused");
        // a long id that fails the Luhn check is not a card
        assertThat(s.api.get("/v1/customers?query=4242424242424241").status()).isEqualTo(200);
        assertThat(s.api.get("/v1/customers/" + c + "/payment_methods").json().get("data")).isEmpty();
        assertThat(s.api.get("/v1/customers/" + c).json().get("metadata").toString()).doesNotContain("5555");

        var token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242 4242 4242 4242", "exp_month", 12, "exp_year", 2030)));
        assertThat(token.status()).isEqualTo(201);
        assertThat(token.body()).doesNotContain("42424242").contains("\"last4\":\"4242\"");
        assertThat(s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424241", "exp_month", 12, "exp_year", 2030))).code())
                .isEqualTo("validation_failed");

        // the server's own log never holds a number (the test node logs to target/)
        try (Stream<Path> logs = Files.exists(Path.of("target")) ? Files.walk(Path.of("target"), 2) : Stream.empty()) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                assertThat(Files.readString(log)).doesNotContain("4242424242424242").doesNotContain("4242 4242 4242 4242");
            }
        }
    }

    /**
     * Read across its dashes, about one random UUID in 5,000 holds a Luhn-valid 16-digit run with a card's prefix
     * (here both its first three groups and its last two read "4242424242424242"); sent as an event id it refused its
     * whole batch. A card is written in groups of 4 (Amex 4-6-5), never 8 or 12: the batch is accepted, while the same
     * digits grouped as a card are still refused.
     */
    @Test
    void aUuidEventIdIsNotACardNumber() {
        Sandbox s = new Sandbox("uuid-ids", Sandbox.demoCatalog("numero-crm.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Uuid Sender", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "crm_plus")).get("id").asText();
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "email_50k")).status()).isEqualTo(201);
        s.advanceTo("2026-06-01T09:00:00Z");
        List<Map<String, Object>> events = List.of(
                Map.of("event_id", "42424242-4242-4242-4242-424242424242", "customer_id", c, "metric", "email_sends", "timestamp", "2026-06-01T08:30:00Z"),
                Map.of("event_id", "abcd4242-4242-4242-4242-4242abcdef01", "customer_id", c, "metric", "email_sends", "timestamp", "2026-06-01T08:30:00Z"));
        var batch = s.api.post("/v1/events/batch", Map.of("events", events));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(batch.json().get("accepted").asInt()).as(batch.body()).isEqualTo(2);
        var card = s.api.post("/v1/events/batch", Map.of("events", List.of(
                Map.of("event_id", "4242-4242-4242-4242", "customer_id", c, "metric", "email_sends", "timestamp", "2026-06-01T08:30:00Z"))));
        assertThat(card.code()).isEqualTo("raw_card_number_refused");
    }

    @Test
    void declinedUnknownOrUnacceptedMethodsAreRefusedAndNothingIsSaved() {
        Sandbox s = new Sandbox("bad-methods", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer("Picky Co", "USD", "UTC");
        for (var card : List.of(PaymentFixtures.DECLINED, PaymentFixtures.EXPIRED, PaymentFixtures.FRAUD)) {
            var r = s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", PaymentFixtures.token(s.api, card)));
            assertThat(r.code()).as(card).isEqualTo("payment_method_declined");
        }
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", "tok_unknown")).code()).isEqualTo("invalid_token");
        var settings = s.api.send("PUT", "/v1/tenant/payment_settings", Map.of("retry_days", List.of(2, 4), "grace_days", 1,
                "accepted_card_brands", List.of("mastercard")));
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", PaymentFixtures.token(s.api, PaymentFixtures.VISA_OK))).code())
                .isEqualTo("card_brand_not_accepted");
        assertThat(s.api.send("PUT", "/v1/tenant/payment_settings", Map.of("retry_days", List.of(3, 2), "grace_days", 1,
                "accepted_card_brands", List.of("visa"))).code()).isEqualTo("validation_failed");
        assertThat(s.api.get("/v1/tenant/payment_settings").json().get("retry_days").toString()).isEqualTo("[2,4]");
        assertThat(s.api.get("/v1/customers/" + c + "/payment_methods").json().get("data")).isEmpty();
        var mc = s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", PaymentFixtures.token(s.api, "5555555555554444")));
        assertThat(mc.status()).isEqualTo(201);
        assertThat(mc.text("brand")).isEqualTo("mastercard");
    }

    @Test
    void theLastMethodOfALiveSubscriptionCannotBeRemovedButBackupsAreReorderedAndUpdatedInPlace() {
        Sandbox s = new Sandbox("last-method", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer("Loyal Co", "USD", "UTC");
        String first = PaymentFixtures.addCard(s.api, c, PaymentFixtures.VISA_OK).get("id").asText();
        s.subscribe(Map.of("customer_id", c, "plan", "basic"));
        var refused = s.api.delete("/v1/customers/" + c + "/payment_methods/" + first);
        assertThat(refused.code()).isEqualTo("last_payment_method");
        assertThat(s.api.get("/v1/customers/" + c + "/payment_methods").json().get("data")).hasSize(1);

        var iban = s.api.post("/v1/sandbox/tokens", Map.of("bank_account", Map.of("iban", "DE89 3704 0044 0532 0130 00", "account_holder", "Loyal Co",
                "mandate_accepted", true)));
        assertThat(iban.text("mandate_reference")).startsWith("MDT-");
        var sepa = s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", iban.text("id"), "priority", 1));
        assertThat(sepa.json().get("is_default").asBoolean()).isTrue();
        assertThat(sepa.text("last4")).isEqualTo("3000");
        assertThat(s.api.get("/v1/customers/" + c + "/payment_methods").json().at("/data/1/id").asText()).isEqualTo(first);

        var renewed = s.api.patch("/v1/customers/" + c + "/payment_methods/" + first, Map.of("exp_month", 3, "exp_year", 2031,
                "billing_address", Map.of("line1", "1 Main St", "city", "Boston", "country", "US")));
        assertThat(renewed.json().get("exp_year").asInt()).isEqualTo(2031);
        assertThat(renewed.json().at("/billing_address/city").asText()).isEqualTo("Boston");
        assertThat(s.api.patch("/v1/customers/" + c + "/payment_methods/" + first, Map.of("exp_month", 13)).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods/" + first + "/default", Map.of()).json().get("priority").asInt()).isEqualTo(1);
        assertThat(s.api.delete("/v1/customers/" + c + "/payment_methods/" + sepa.text("id")).status()).isEqualTo(200);
        assertThat(s.api.get("/v1/customers/" + c + "/payment_methods").json().get("data")).hasSize(1);
        assertThat(PaymentFixtures.events(s.tenant.id(), "payment_method.removed")).hasSize(1);
    }
}

package dev.accrue.server.payment;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.accrue.server.payment.PaymentFixtures.attempts;
import static dev.accrue.server.payment.PaymentFixtures.invoiceOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 (part B, point 4): the sandbox's bank debits settle asynchronously as Stripe's SEPA debits do — accepted
 * ("processing", the payment pending), then settled by a signed sandbox event through the gateway-event intake (the
 * handler of {@code POST /v1/gateway_events/sandbox}), deduplicated in {@code gateway_events}. A test clock's advance
 * delivers what the sandbox queued before its collection run (the scheduled job does the same on real time).
 */
class SandboxDebitEventsTest {
    private static final Jdbi DB = TestNode.get().accrue().database().jdbi();

    private static String addBankAccount(Sandbox s, String customerId, String iban, Integer priority) {
        var token = s.api.post("/v1/sandbox/tokens", Map.of("bank_account", Map.of("iban", iban, "account_holder", "Debit Holder", "mandate_accepted", true)));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        Map<String, Object> body = priority == null ? Map.of("token", token.text("id")) : Map.of("token", token.text("id"), "priority", priority);
        var added = s.api.post("/v1/customers/" + customerId + "/payment_methods", body);
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return token.text("id");
    }

    private static List<String> gatewayEvents(String tenantId) {
        return DB.withHandle(h -> h.createQuery("SELECT type || ' ' || result FROM gateway_events WHERE gateway = 'sandbox' AND tenant_id = :t ORDER BY received_at")
                .bind("t", tenantId).mapTo(String.class).list());
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("whsec_sandbox".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBankDebitIsProcessingUntilTheSandboxsSignedEventSettlesItOnceThroughTheWebhookIntake() throws Exception {
        Sandbox s = new Sandbox("sandbox-debit", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer("Lastschrift GmbH", "USD", "UTC");
        String token = addBankAccount(s, c, "DE89 3704 0044 0532 0130 00", null);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String invoice = invoiceOf(s, sub).get("id").asText();
        s.advanceTo("2026-06-01T09:00:00Z");

        // the bank accepted the debit: pending with the sandbox's reference, the invoice still open, an event queued
        var pending = PaymentFixtures.payments(s.api, invoice);
        assertThat(pending).singleElement().satisfies(p -> {
            assertThat(p.get("status").asText()).isEqualTo("pending");
            assertThat(p.get("gateway_reference").asText()).startsWith("py_");
        });
        assertThat(s.api.get("/v1/invoices/" + invoice).text("status")).isEqualTo("finalized");
        String reference = pending.getFirst().get("gateway_reference").asText();
        String body = DB.withHandle(h -> h.createQuery("SELECT body FROM sandbox_events WHERE body LIKE :ref").bind("ref", "%" + reference + "%")
                .mapTo(String.class).one());

        // the next pass delivers it: paid, through the intake (recorded in gateway_events), charged once
        s.advanceTo("2026-06-01T09:05:00Z");
        assertThat(s.api.get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(attempts(s.api, invoice)).singleElement().asString().startsWith("succeeded");
        assertThat(gatewayEvents(s.tenant.id())).containsExactly("payment_intent.succeeded applied");
        assertThat(TestNode.get().accrue().services().sandbox().chargesOf(token)).isEqualTo(1);
        assertThat(PaymentFixtures.events(s.tenant.id(), "invoice.paid")).hasSize(1);

        // the same event posted to the route: verified, answered duplicate; a forged signature is refused
        Api hook = new Api(TestNode.get().baseUrl(), null);
        assertThat(hook.withHeader("Sandbox-Signature", sign(body)).post("/v1/gateway_events/sandbox", body).text("result")).isEqualTo("duplicate");
        assertThat(hook.withHeader("Sandbox-Signature", sign(body + " ")).post("/v1/gateway_events/sandbox", body).status()).isEqualTo(401);
        s.advanceTo("2026-06-02T09:05:00Z");
        assertThat(TestNode.get().accrue().services().sandbox().chargesOf(token)).isEqualTo(1);
        assertThat(PaymentFixtures.events(s.tenant.id(), "invoice.paid")).hasSize(1);
    }

    @Test
    void aFailedDebitReportedByTheSandboxsEventLeadsTheNextPassToTheBackupCard() {
        Sandbox s = new Sandbox("sandbox-debit-fails", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer("Rücklastschrift AG", "USD", "UTC");
        addBankAccount(s, c, "AT861904300235473202", null); // the sandbox's IBAN whose debits bounce (insufficient funds)
        PaymentFixtures.addCard(s.api, c, PaymentFixtures.VISA_OK); // the backup
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String invoice = invoiceOf(s, sub).get("id").asText();
        s.advanceTo("2026-06-01T09:00:00Z");
        assertThat(attempts(s.api, invoice)).singleElement().asString().startsWith("pending");

        // the bounce arrives as an event; the same pass's collection run then charges the backup card
        s.advanceTo("2026-06-01T09:05:00Z");
        assertThat(gatewayEvents(s.tenant.id())).containsExactly("payment_intent.payment_failed applied");
        assertThat(attempts(s.api, invoice)).hasSize(2).first().asString().startsWith("failed insufficient_funds");
        assertThat(attempts(s.api, invoice).get(1)).startsWith("succeeded");
        assertThat(s.api.get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(PaymentFixtures.events(s.tenant.id(), "invoice.payment_failed")).isEmpty();
    }
}

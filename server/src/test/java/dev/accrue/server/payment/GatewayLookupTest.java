package dev.accrue.server.payment;

import dev.accrue.adapters.payment.sandbox.SandboxGateway;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.payment.CollectionRunner;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: charges whose outcome Accrue does not know are asked about at the gateway, never sent blindly again once
 * the gateway may have forgotten their idempotency key; bank debits whose webhook never comes are polled. Over test
 * clocks, against the sandbox's own books.
 */
class GatewayLookupTest {
    private static final CollectionRunner RUNNER = TestNode.get().accrue().services().collections();
    private static final SandboxGateway GATEWAY = TestNode.get().accrue().services().sandbox();

    private record Due(Sandbox s, String customer, String token, String invoice) {
    }

    private static Due dueInvoice(String label, Map<String, Object> tokenRequest, String behaviour) {
        Sandbox s = new Sandbox(label, Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer(label + " Co", "USD", "UTC");
        String token = tokenRequest == null ? PaymentFixtures.token(s.api, PaymentFixtures.VISA_OK) : s.api.post("/v1/sandbox/tokens", tokenRequest).text("id");
        if (behaviour != null) {
            assertThat(s.api.post("/v1/sandbox/tokens/" + token + "/simulate", Map.of("behaviour", behaviour)).status()).isEqualTo(200);
        }
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", token)).status()).isEqualTo(201);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        return new Due(s, c, token, PaymentFixtures.invoiceOf(s, sub).get("id").asText());
    }

    @Test
    void aChargeWhoseAnswerWasLostIsSettledFromTheGatewaysRecordOnceItsKeyIsTooOldToResend() {
        Due due = dueInvoice("lost answer", null, null);
        // a node stores the attempt, the gateway charges, the node dies before recording it; a day passes
        CollectionRunner.Attempt attempt = RUNNER.begin(due.s().tenant.id(), due.invoice());
        assertThat(RUNNER.call(attempt)).isInstanceOf(GatewayOutcome.Approved.class);
        due.s().advanceTo("2026-06-02T09:00:00Z");

        RUNNER.runDue(100, Duration.ZERO);

        assertThat(GATEWAY.chargesOf(due.token())).isEqualTo(1);
        assertThat(due.s().api.get("/v1/payments/" + attempt.paymentId()).text("status")).isEqualTo("succeeded");
        assertThat(due.s().api.get("/v1/invoices/" + due.invoice()).text("status")).isEqualTo("paid");
    }

    @Test
    void anAttemptTheGatewayNeverGotIsMarkedForReviewAndNeverChargedOnceItsKeyIsTooOld() {
        Due due = dueInvoice("never sent", null, null);
        // the node dies between storing the attempt and calling the gateway; a day passes before anyone looks
        CollectionRunner.Attempt attempt = RUNNER.begin(due.s().tenant.id(), due.invoice());
        due.s().advanceTo("2026-06-02T08:00:00Z");

        RUNNER.runDue(100, Duration.ZERO);
        RUNNER.runDue(100, Duration.ZERO);

        assertThat(GATEWAY.chargesOf(due.token())).as("a resend under a key the gateway may have forgotten could charge twice: none").isZero();
        var payment = due.s().api.get("/v1/payments/" + attempt.paymentId());
        assertThat(payment.text("status")).isEqualTo("pending");
        assertThat(payment.json().get("needs_review").asBoolean()).isTrue();
        assertThat(payment.text("review_reason")).startsWith("outcome_unknown");
        assertThat(due.s().api.get("/v1/invoices/" + due.invoice()).text("status")).isEqualTo("finalized");
        assertThat(due.s().api.get("/v1/audit_events?object_id=" + attempt.paymentId()).json().toString()).contains("payment.needs_review");
    }

    @Test
    void anAttemptNeverSentIsSentAgainUnderItsKeyWhileTheKeyIsYoung() {
        Due due = dueInvoice("young key", null, null);
        CollectionRunner.Attempt attempt = RUNNER.begin(due.s().tenant.id(), due.invoice());
        due.s().advanceTo("2026-06-01T20:00:00Z");

        RUNNER.runDue(100, Duration.ZERO);

        assertThat(GATEWAY.chargesOf(due.token())).isEqualTo(1);
        assertThat(due.s().api.get("/v1/payments/" + attempt.paymentId()).json().get("needs_review").asBoolean()).isFalse();
        assertThat(due.s().api.get("/v1/invoices/" + due.invoice()).text("status")).isEqualTo("paid");
    }

    @Test
    void aBankDebitWhoseWebhookNeverCameIsSettledByPollingAndALateWebhookChangesNothing() {
        Due due = dueInvoice("late debit", Map.of("bank_account", Map.of("iban", "DE89 3704 0044 0532 0130 00", "account_holder", "Late Co",
                "mandate_accepted", true)), "processing");
        RUNNER.runDue(100, Duration.ZERO);
        var pending = PaymentFixtures.payments(due.s().api, due.invoice());
        assertThat(pending).hasSize(1);
        String paymentId = pending.getFirst().get("id").asText();
        String reference = pending.getFirst().get("gateway_reference").asText();
        assertThat(pending.getFirst().get("status").asText()).isEqualTo("pending");
        assertThat(reference).isNotBlank();

        // too early: the debit has not been processing long enough to ask
        assertThat(TestNode.get().accrue().services().processingPoller().runDue(100)).isZero();
        // the bank pays, but its webhook is lost; a day later the poller asks
        assertThat(due.s().api.post("/v1/sandbox/tokens/" + due.token() + "/simulate", Map.of("behaviour", "succeed")).status()).isEqualTo(200);
        due.s().advanceTo("2026-06-02T09:00:00Z");
        assertThat(TestNode.get().accrue().services().processingPoller().runDue(100)).isEqualTo(1);

        assertThat(due.s().api.get("/v1/invoices/" + due.invoice()).text("status")).isEqualTo("paid");
        assertThat(GATEWAY.chargesOf(due.token())).isEqualTo(1);
        // the webhook arrives after all: recorded, settles nothing twice
        String body = "{\"id\":\"evt_late_" + paymentId + "\",\"type\":\"payment_intent.succeeded\",\"reference\":\"" + reference
                      + "\",\"outcome\":{\"type\":\"approved\",\"reference\":\"" + reference + "\"},\"tenant_id\":\"" + due.s().tenant.id()
                      + "\",\"attempt\":\"" + paymentId + "\"}";
        TestNode.get().accrue().services().gatewayEvents().receive("sandbox", body, Map.of("Sandbox-Signature", SandboxGateway.sign(body)));
        assertThat(PaymentFixtures.payments(due.s().api, due.invoice())).hasSize(1);
        var invoice = TestNode.get().accrue().services().invoices().get(Caller.system(due.s().tenant.id()), due.invoice());
        assertThat(invoice.paid().toPlainMinorString()).isEqualTo("30.00");
        // and asking again finds nothing left to ask about
        due.s().advanceTo("2026-06-04T09:00:00Z");
        assertThat(TestNode.get().accrue().services().processingPoller().runDue(100)).isZero();
    }
}

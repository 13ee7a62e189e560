package dev.accrue.server.payment;

import dev.accrue.server.support.Unique;
import dev.accrue.adapters.payment.sandbox.SandboxGateway;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, disputes: a lost chargeback makes the invoice owed again and the money is pursued through the existing
 * collection — reopened, charged again (a new cycle: the default method, the backups, then dunning), paid and
 * receipted as any invoice; a redelivered event charges nothing twice. Over a test clock, with the sandbox's signed
 * dispute events through the gateway intake, counted against the sandbox's own books.
 */
class LostDisputeRecollectionTest {
    private static final SandboxGateway GATEWAY = TestNode.get().accrue().services().sandbox();

    private record Paid(Sandbox s, String customer, String card, String backup, String invoice, String payment, String reference) {
    }

    private static Paid paidByCard(String label, String backupNumber) {
        Sandbox s = new Sandbox(label, Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer(label + " Co", "USD", "UTC");
        String card = PaymentFixtures.token(s.api, PaymentFixtures.VISA_OK);
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", card)).status()).isEqualTo(201);
        String backup = backupNumber == null ? null : PaymentFixtures.token(s.api, backupNumber);
        if (backup != null) {
            assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", backup)).status()).isEqualTo(201);
        }
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String invoice = PaymentFixtures.invoiceOf(s, sub).get("id").asText();
        s.advanceTo("2026-06-01T09:00:00Z");
        assertThat(s.api.get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        var payment = PaymentFixtures.payments(s.api, invoice).getFirst();
        return new Paid(s, c, card, backup, invoice, payment.get("id").asText(), payment.get("gateway_reference").asText());
    }

    /** The sandbox's dispute event for the payment, signed, through the intake every gateway event goes through. */
    private static String dispute(Paid p, String eventId, String type, String disputeId, String reason, String status) {
        String body = "{\"id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"reference\":\"" + p.reference() + "\",\"dispute\":{\"id\":\"" + disputeId
                      + "\",\"amount\":\"30.00\",\"currency\":\"usd\",\"reason\":\"" + reason + "\",\"status\":\"" + status + "\"}}";
        return TestNode.get().accrue().services().gatewayEvents().receive("sandbox", body, Map.of("Sandbox-Signature", SandboxGateway.sign(body))).result();
    }

    @Test
    void aLostDisputeReopensThePaidInvoiceAndTheDefaultCardIsChargedAgainOnce() {
        Paid p = paidByCard("lost dispute", null);
        String dp = "dp_" + Unique.suffix();
        assertThat(dispute(p, "evt_open_" + dp, "charge.dispute.created", dp, "product_not_received", "needs_response")).isEqualTo("applied");
        // while open the dispute may still be won: the invoice stays paid, nothing is charged again
        var open = p.s().api.get("/v1/invoices/" + p.invoice()).json();
        assertThat(open.get("status").asText()).isEqualTo("paid");
        assertThat(open.get("payment_status").asText()).isEqualTo("disputed");
        p.s().advanceTo("2026-06-02T09:00:00Z");
        assertThat(GATEWAY.chargesOf(p.card())).isEqualTo(1);

        String closed = "evt_lost_" + dp;
        assertThat(dispute(p, closed, "charge.dispute.closed", dp, "product_not_received", "lost")).isEqualTo("applied");
        var reopened = p.s().api.get("/v1/invoices/" + p.invoice()).json();
        assertThat(reopened.get("status").asText()).isEqualTo("finalized");
        assertThat(reopened.get("amount_due").asText()).isEqualTo("30.00");
        assertThat(reopened.get("payment_status").asText()).isEqualTo("disputed");
        assertThat(p.s().api.get("/v1/audit_events?object_id=" + p.invoice()).body()).contains("invoice.reopened").contains("invoice.collection_reopened");

        // the next collection pass (here the test clock's advance) charges the default card again, as a new attempt
        p.s().advanceTo("2026-06-02T10:00:00Z");
        assertThat(GATEWAY.chargesOf(p.card())).isEqualTo(2);
        var paidAgain = p.s().api.get("/v1/invoices/" + p.invoice()).json();
        assertThat(paidAgain.get("status").asText()).isEqualTo("paid");
        assertThat(paidAgain.get("amount_paid").asText()).isEqualTo("30.00");
        assertThat(paidAgain.get("amount_due").asText()).isEqualTo("0.00");
        assertThat(paidAgain.get("payment_status").asText()).isEqualTo("paid");
        var payments = PaymentFixtures.payments(p.s().api, p.invoice());
        assertThat(payments).hasSize(2).allMatch(x -> x.get("status").asText().equals("succeeded"));
        assertThat(payments.getLast().get("receipt_number").asText()).startsWith("PRC-").isNotEqualTo(payments.getFirst().get("receipt_number").asText());
        assertThat(PaymentFixtures.events(p.s().tenant.id(), "invoice.paid")).hasSize(2);

        // a redelivered closing event, and later passes, charge nothing more
        assertThat(dispute(p, closed, "charge.dispute.closed", dp, "product_not_received", "lost")).isEqualTo("duplicate");
        assertThat(dispute(p, "evt_lost_again_" + dp, "charge.dispute.closed", dp, "product_not_received", "lost")).isEqualTo("applied");
        p.s().advanceTo("2026-06-05T10:00:00Z");
        assertThat(GATEWAY.chargesOf(p.card())).isEqualTo(2);
        assertThat(p.s().api.get("/v1/invoices/" + p.invoice()).text("status")).isEqualTo("paid");
    }

    @Test
    void aLostFraudDisputeSparesTheDisputedCardAndGoesThroughTheBackupAndDunning() {
        Paid p = paidByCard("lost fraud dispute", PaymentFixtures.INSUFFICIENT_FUNDS);
        String dp = "dp_" + Unique.suffix();
        assertThat(dispute(p, "evt_open_" + dp, "charge.dispute.created", dp, "fraudulent", "needs_response")).isEqualTo("applied");
        assertThat(dispute(p, "evt_lost_" + dp, "charge.dispute.closed", dp, "fraudulent", "lost")).isEqualTo("applied");

        // the card's holder said they never paid: that card is not charged again; the backup declines, and dunning takes over
        p.s().advanceTo("2026-06-01T10:00:00Z");
        assertThat(GATEWAY.chargesOf(p.card())).isEqualTo(1);
        assertThat(PaymentFixtures.attempts(p.s().api, p.invoice())).hasSize(2).last().asString().startsWith("failed insufficient_funds");
        assertThat(PaymentFixtures.events(p.s().tenant.id(), "invoice.payment_failed")).hasSize(1);
        assertThat(p.s().api.get("/v1/invoices/" + p.invoice()).text("status")).isEqualTo("finalized");

        // retry 1 of the tenant's schedule, a day after that failure, once the backup has the funds
        assertThat(p.s().api.post("/v1/sandbox/tokens/" + p.backup() + "/simulate", Map.of("behaviour", "succeed")).status()).isEqualTo(200);
        p.s().advanceTo("2026-06-01T20:00:00Z");
        assertThat(PaymentFixtures.attempts(p.s().api, p.invoice())).hasSize(2);
        p.s().advanceTo("2026-06-02T10:30:00Z");
        assertThat(PaymentFixtures.attempts(p.s().api, p.invoice())).hasSize(3).last().asString().startsWith("succeeded");
        assertThat(GATEWAY.chargesOf(p.backup())).isEqualTo(1);
        assertThat(GATEWAY.chargesOf(p.card())).isEqualTo(1);
        var paid = p.s().api.get("/v1/invoices/" + p.invoice()).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("payment_status").asText()).isEqualTo("paid");
    }
}

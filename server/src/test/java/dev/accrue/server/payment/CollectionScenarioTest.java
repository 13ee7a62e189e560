package dev.accrue.server.payment;

import dev.accrue.server.support.Unique;
import dev.accrue.app.auth.Caller;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.WebClient;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.accrue.server.payment.PaymentFixtures.attempts;
import static dev.accrue.server.payment.PaymentFixtures.invoiceOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13: backups, manual partial payments and over-payments, refunds, wallet auto-recharge, receipts. */
class CollectionScenarioTest {

    @Test
    void aBackupMethodSavesThePaymentWhenTheDefaultIsDeclinedForGood() {
        Sandbox s = new Sandbox("backup", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer("Backup Co", "USD", "UTC");
        PaymentFixtures.addCard(s.api, c, PaymentFixtures.CHARGE_FAILS);
        var upi = s.api.post("/v1/sandbox/tokens", Map.of("upi", Map.of("vpa", "success@upi"))).text("id");
        var backup = s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", upi));
        assertThat(backup.json().get("priority").asInt()).isEqualTo(2);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String invoice = invoiceOf(s, sub).get("id").asText();
        s.advanceTo("2026-06-01T09:00:00Z");
        assertThat(attempts(s.api, invoice)).containsExactly("failed card_declined 30.00 visa ···· 0341", "succeeded null 30.00 upi ···· cess");
        assertThat(s.api.get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(PaymentFixtures.events(s.tenant.id(), "invoice.payment_failed")).isEmpty();
    }

    @Test
    void aManualBankTransferPaysPartlyThenInFullAndTheOverPaymentBecomesCredit() {
        Sandbox s = new Sandbox("manual", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        var body = Fixtures.customer("Transfer GmbH");
        body.put("payment_terms", Map.of("collection_method", "manual", "net_days", 30));
        body.put("test_clock_id", s.clockId);
        String c = s.api.post("/v1/customers", body).text("id");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String invoice = invoiceOf(s, sub).get("id").asText();

        var part = s.api.withHeader("Idempotency-Key", "trf-1").post("/v1/invoices/" + invoice + "/payments",
                Map.of("amount", "12.50", "currency", "USD", "received_on", "2026-06-01", "method", "bank_transfer", "reference", "TRF-1001"));
        assertThat(part.status()).as(part.toString()).isEqualTo(201);
        assertThat(part.text("applied")).isEqualTo("12.50");
        var replay = s.api.withHeader("Idempotency-Key", "trf-1").post("/v1/invoices/" + invoice + "/payments",
                Map.of("amount", "12.50", "currency", "USD", "received_on", "2026-06-01", "method", "bank_transfer", "reference", "TRF-1001"));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        var partly = s.api.get("/v1/invoices/" + invoice).json();
        assertThat(partly.get("status").asText()).isEqualTo("finalized");
        assertThat(partly.get("payment_status").asText()).isEqualTo("partially_paid");
        assertThat(partly.get("amount_due").asText()).isEqualTo("17.50");
        assertThat(partly.get("amount_paid").asText()).isEqualTo("12.50");
        // the partly paid state is visible where people look: the invoice document lists the payment and what is still
        // due, the portal's and the console's invoice lists show paid and due
        String html = s.api.get("/v1/invoices/" + invoice + "/html").body();
        assertThat(html).contains("Payment received 2026-06-01 (bank transfer, TRF-1001)").contains("-12.50").contains("17.50");
        assertThat(s.api.getFile("/v1/invoices/" + invoice + "/pdf").status()).isEqualTo(200);
        WebClient portal = new WebClient(TestNode.get().baseUrl());
        portal.get(PortalLinks.link(s.api, c, "ap@transfer.example", "admin", null));
        String listed = portal.get("/portal/invoices").body();
        assertThat(listed).contains("Partly paid").contains("12.50").contains("17.50");
        assertThat(portal.get("/portal/invoices/" + invoice).body()).contains("Partly paid").contains("17.50");
        String staff = "finance-" + Unique.suffix() + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(s.tenant.id()), staff, "Finance", "finance", "correct horse battery staple");
        WebClient console = new WebClient(TestNode.get().baseUrl());
        assertThat(console.signInToConsole(staff, "correct horse battery staple").status()).isEqualTo(302);
        assertThat(console.get("/console/customers/" + c).body()).contains("partially paid").contains("17.50");
        // a partly paid invoice is not voided (the money received would have no invoice); nothing changes
        assertThat(s.api.post("/v1/invoices/" + invoice + "/void", null).code()).isEqualTo("invoice_partly_paid");
        assertThat(s.api.get("/v1/invoices/" + invoice).json().get("amount_due").asText()).isEqualTo("17.50");

        var rest = s.api.post("/v1/invoices/" + invoice + "/payments", Map.of("amount", "20.00", "reference", "TRF-1002"));
        assertThat(rest.text("applied")).isEqualTo("17.50");
        assertThat(rest.text("credited")).isEqualTo("2.50");
        var paid = s.api.get("/v1/invoices/" + invoice).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asText()).isEqualTo("30.00");
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("2.50");
        // the paid invoice prints the payment's date and reference; the receipt its method and reference
        assertThat(s.api.get("/v1/invoices/" + invoice + "/html").body()).contains("Paid on").contains("TRF-1002").doesNotContain("Payment received");
        assertThat(portal.get("/portal/invoices").body()).doesNotContain("Partly paid");
        String receipt = s.api.get("/v1/payments/" + rest.text("id") + "/receipt/html").body();
        assertThat(receipt).contains("Payment receipt").contains("bank transfer").contains("TRF-1002").contains("20.00");
        assertThat(s.api.getFile("/v1/payments/" + rest.text("id") + "/receipt/pdf").status()).isEqualTo(200);

        // paying a paid invoice is refused and changes nothing
        assertThat(s.api.post("/v1/invoices/" + invoice + "/payments", Map.of("amount", "1.00")).code()).isEqualTo("invoice_not_open");
        assertThat(PaymentFixtures.payments(s.api, invoice)).hasSize(2);
    }

    @Test
    void refundsArePartialOrFullNeverAboveWhatWasPaidAndACreditNoteCanBeResolvedAsARefund() {
        Sandbox s = new Sandbox("refunds", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer("Refund Co", "USD", "UTC");
        PaymentFixtures.addCard(s.api, c, PaymentFixtures.VISA_OK);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String invoice = invoiceOf(s, sub).get("id").asText();
        s.advanceTo("2026-06-01T09:00:00Z");
        String payment = PaymentFixtures.payments(s.api, invoice).getFirst().get("id").asText();

        var tooMuch = s.api.post("/v1/payments/" + payment + "/refunds", Map.of("amount", "30.01"));
        assertThat(tooMuch.code()).isEqualTo("refund_exceeds_paid");
        assertThat(tooMuch.text("refundable")).isEqualTo("30.00");
        var part = s.api.post("/v1/payments/" + payment + "/refunds", Map.of("amount", "10.00", "reason", "Outage"));
        assertThat(part.status()).as(part.toString()).isEqualTo(201);
        assertThat(part.text("status")).isEqualTo("succeeded");
        assertThat(part.text("gateway_reference")).startsWith("re_");

        var note = s.api.post("/v1/invoices/" + invoice + "/credit_notes", Map.of("reason", "Goodwill", "amount", "5.00"));
        assertThat(note.status()).as(note.toString()).isEqualTo(201);
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("5.00");
        var viaNote = s.api.post("/v1/payments/" + payment + "/refunds", Map.of("credit_note_id", note.text("id")));
        assertThat(viaNote.status()).as(viaNote.toString()).isEqualTo(201);
        assertThat(viaNote.text("amount")).isEqualTo("5.00");
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("0.00");
        assertThat(s.api.get("/v1/credit_notes/" + note.text("id")).text("resolution")).isEqualTo("refund");
        assertThat(s.api.post("/v1/payments/" + payment + "/refunds", Map.of("credit_note_id", note.text("id"))).code()).isEqualTo("validation_failed");

        var rest = s.api.post("/v1/payments/" + payment + "/refunds", Map.of());
        assertThat(rest.text("amount")).isEqualTo("15.00");
        assertThat(s.api.post("/v1/payments/" + payment + "/refunds", Map.of("amount", "0.01")).code()).isEqualTo("refund_exceeds_paid");
        assertThat(s.api.get("/v1/payments/" + payment).text("refunded")).isEqualTo("30.00");
        assertThat(PaymentFixtures.events(s.tenant.id(), "payment.refunded")).hasSize(3);

        // another tenant's payment and invoice do not exist for this tenant
        var stranger = TestNode.get().newTenant("stranger").api();
        assertThat(stranger.post("/v1/payments/" + payment + "/refunds", Map.of()).status()).isEqualTo(404);
        assertThat(stranger.post("/v1/invoices/" + invoice + "/payments", Map.of("amount", "1.00")).status()).isEqualTo(404);
        assertThat(s.api.get("/v1/payments/" + payment).text("refunded")).isEqualTo("30.00");
    }

    @Test
    void aPrepaidWalletBelowItsThresholdIsRechargedThroughTheDefaultMethod() {
        Sandbox s = new Sandbox("recharge", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        var body = Fixtures.customer("Prepaid Co");
        body.put("account_type", "prepaid");
        body.put("currency", "USD");
        body.put("test_clock_id", s.clockId);
        String c = s.api.post("/v1/customers", body).text("id");
        PaymentFixtures.addCard(s.api, c, PaymentFixtures.VISA_OK);
        assertThat(s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "40.00", "currency", "USD")).status()).isEqualTo(201);
        assertThat(s.api.patch("/v1/customers/" + c + "/wallet", Map.of("auto_recharge", Map.of("threshold", "20.00", "amount", "50.00"))).status())
                .isEqualTo(200);
        s.subscribe(Map.of("customer_id", c, "plan", "basic")); // 30.00 from the wallet: 10.00 left, below 20.00
        s.advanceTo("2026-06-01T09:00:00Z");
        var wallet = s.api.get("/v1/customers/" + c + "/wallet").json();
        assertThat(wallet.get("balance").asText()).isEqualTo("60.00");
        assertThat(PaymentFixtures.events(s.tenant.id(), "wallet.recharged")).containsExactly("wallet.recharged " + c);
        var payments = s.api.get("/v1/payments?customer_id=" + c).json().get("data");
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0).get("purpose").asText()).isEqualTo("wallet_recharge");
        assertThat(payments.get(0).get("status").asText()).isEqualTo("succeeded");
        s.advanceTo("2026-06-01T10:00:00Z"); // recharged once, not again
        assertThat(s.api.get("/v1/payments?customer_id=" + c).json().get("data")).hasSize(1);
    }
}

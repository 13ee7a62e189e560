package dev.accrue.server.payment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.accrue.server.payment.PaymentFixtures.invoiceOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 (part B, point 1): a refund lowers what was paid on the invoice and moves its payment status — a paid invoice
 * to partially_refunded, then refunded (it stays paid: nothing is owed again); a partly paid one back to partially_paid
 * or unpaid (owed again) — in the API, the invoice document, the export and the portal. An over-refund changes nothing.
 */
class RefundsLowerPaidTest {

    private static JsonNode invoice(Sandbox s, String id) {
        return s.api.get("/v1/invoices/" + id).json();
    }

    private static JsonNode exported(Sandbox s, String invoiceId) {
        for (JsonNode row : s.api.get("/v1/exports/invoices?from=2026-06-01&to=2026-06-02").json().get("data")) {
            if (row.get("invoice_id").asText().equals(invoiceId)) {
                return row;
            }
        }
        throw new AssertionError("invoice " + invoiceId + " is not exported");
    }

    @Test
    void aPaidInvoiceRefundedPartlyThenFullyShowsWhatWasGivenBackEverywhereAndAnOverRefundChangesNothing() {
        Sandbox s = new Sandbox("refund-paid", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer("Refunded Ltd", "USD", "UTC");
        PaymentFixtures.addCard(s.api, c, PaymentFixtures.VISA_OK);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String inv = invoiceOf(s, sub).get("id").asText();
        s.advanceTo("2026-06-01T09:00:00Z");
        String payment = PaymentFixtures.payments(s.api, inv).getFirst().get("id").asText();
        assertThat(invoice(s, inv).get("payment_status").asText()).isEqualTo("paid");

        var part = s.api.post("/v1/payments/" + payment + "/refunds", Map.of("amount", "10.00", "reason", "Outage"));
        assertThat(part.status()).as(part.toString()).isEqualTo(201);
        assertThat(part.text("invoice_amount")).isEqualTo("10.00");
        JsonNode partly = invoice(s, inv);
        assertThat(partly.get("status").asText()).isEqualTo("paid");
        assertThat(partly.get("amount_paid").asText()).isEqualTo("20.00");
        assertThat(partly.get("amount_refunded").asText()).isEqualTo("10.00");
        assertThat(partly.get("amount_due").asText()).isEqualTo("0.00");
        assertThat(partly.get("payment_status").asText()).isEqualTo("partially_refunded");
        assertThat(s.api.get("/v1/invoices/" + inv + "/html").body()).contains("Refunded").contains("10.00")
                .contains("Paid after refunds and disputes").contains("20.00");
        assertThat(exported(s, inv).get("payment_status").asText()).isEqualTo("partially_refunded");
        assertThat(s.api.get("/v1/payments/" + payment + "/receipt/html").body()).contains("Refunded since").contains("Kept after refunds")
                .contains("20.00");
        assertThat(exported(s, inv).get("amount_paid").asText()).isEqualTo("20.00");
        WebClient portal = new WebClient(TestNode.get().baseUrl());
        portal.get(PortalLinks.link(s.api, c, "billing@refunded.example", "admin", null));
        assertThat(portal.get("/portal/invoices").body()).contains("Partly refunded");

        // more than the payment has left: refused with a stable code, nothing changed
        var tooMuch = s.api.post("/v1/payments/" + payment + "/refunds", Map.of("amount", "20.01"));
        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(tooMuch.code()).isEqualTo("refund_exceeds_paid");
        assertThat(tooMuch.text("refundable")).isEqualTo("20.00");
        assertThat(invoice(s, inv).get("amount_paid").asText()).isEqualTo("20.00");
        assertThat(s.api.get("/v1/payments/" + payment + "/refunds").json().get("data")).hasSize(1);

        var rest = s.api.post("/v1/payments/" + payment + "/refunds", Map.of());
        assertThat(rest.text("amount")).isEqualTo("20.00");
        JsonNode refunded = invoice(s, inv);
        assertThat(refunded.get("status").asText()).isEqualTo("paid");
        assertThat(refunded.get("amount_paid").asText()).isEqualTo("0.00");
        assertThat(refunded.get("amount_refunded").asText()).isEqualTo("30.00");
        assertThat(refunded.get("amount_due").asText()).isEqualTo("0.00");
        assertThat(refunded.get("payment_status").asText()).isEqualTo("refunded");
        assertThat(portal.get("/portal/invoices/" + inv).body()).contains("Refunded").contains("30.00");
        assertThat(exported(s, inv).get("payment_status").asText()).isEqualTo("refunded");
        assertThat(s.api.post("/v1/payments/" + payment + "/refunds", Map.of("amount", "0.01")).code()).isEqualTo("refund_exceeds_paid");
        assertThat(invoice(s, inv).get("amount_paid").asText()).isEqualTo("0.00");
    }

    @Test
    void aRefundOnAPartlyPaidInvoiceMakesTheMoneyOwedAgain() {
        Sandbox s = new Sandbox("refund-partly", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        var body = Fixtures.customer("Partly Refunded GmbH");
        body.put("payment_terms", Map.of("collection_method", "manual", "net_days", 30));
        body.put("test_clock_id", s.clockId);
        String c = s.api.post("/v1/customers", body).text("id");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String inv = invoiceOf(s, sub).get("id").asText();
        String payment = s.api.post("/v1/invoices/" + inv + "/payments", Map.of("amount", "12.50", "reference", "TRF-7")).text("id");

        var back = s.api.post("/v1/payments/" + payment + "/refunds", Map.of("amount", "5.00"));
        assertThat(back.status()).as(back.toString()).isEqualTo(201);
        JsonNode partly = invoice(s, inv);
        assertThat(partly.get("status").asText()).isEqualTo("finalized");
        assertThat(partly.get("amount_paid").asText()).isEqualTo("7.50");
        assertThat(partly.get("amount_due").asText()).isEqualTo("22.50");
        assertThat(partly.get("payment_status").asText()).isEqualTo("partially_paid");
        // the document's rows add up: the payment received, the refund, what is due again
        assertThat(s.api.get("/v1/invoices/" + inv + "/html").body()).contains("-12.50").contains("Refunded").contains("5.00").contains("22.50");

        assertThat(s.api.post("/v1/payments/" + payment + "/refunds", Map.of("amount", "7.50")).status()).isEqualTo(201);
        JsonNode unpaid = invoice(s, inv);
        assertThat(unpaid.get("amount_paid").asText()).isEqualTo("0.00");
        assertThat(unpaid.get("amount_due").asText()).isEqualTo("30.00");
        assertThat(unpaid.get("payment_status").asText()).isEqualTo("unpaid");
        // owed again: a new payment is taken as before
        assertThat(s.api.post("/v1/invoices/" + inv + "/payments", Map.of("amount", "30.00")).status()).isEqualTo(201);
        assertThat(invoice(s, inv).get("payment_status").asText()).isEqualTo("paid");
    }
}

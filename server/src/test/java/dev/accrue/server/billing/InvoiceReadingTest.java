package dev.accrue.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a customer reads: the same digits in a preview, its answer and its invoice; whole periods named; amounts written one way. */
class InvoiceReadingTest {
    static final String SEATS = """
            name: seats
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: app, name: App }
            plans:
              - code: team
                product: app
                name: Team
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: seat, name: Seat, monthly_price: { USD: "10.00" } }
              - code: business
                product: app
                name: Business
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                change_policy: { upgrade_invoicing: immediate }
                charges:
                  - { type: recurring, code: seat, name: Seat, monthly_price: { USD: "40.00" } }
            """;

    @Test
    void aChangeReadsTheSameInItsPreviewItsAnswerAndItsInvoice() {
        Sandbox s = new Sandbox("reading", SEATS, "2026-06-01T10:00:00Z");
        String c = s.customer("Reader Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team", "quantity", 3)).get("id").asText();

        JsonNode first = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/lines/0");
        // a whole month reads as the month, and a seat line shows seats × unit price
        assertThat(first.get("description").asText()).isEqualTo("Team — Seat, 3 seats × 10.00 — June 2026");
        assertThat(first.get("quantity").asText()).isEqualTo("3");
        assertThat(first.get("unit_price").asText()).isEqualTo("10.00");
        assertThat(first.get("amount").asText()).isEqualTo("30.00");

        // June 17 → July 1 is 14 of 30 days: a quantity with more digits than an invoice keeps
        s.advanceTo("2026-06-17T10:00:00Z");
        JsonNode preview = s.api.post("/v1/subscriptions/" + sub + "/change/preview", Map.of("plan", "business")).json().at("/lines/0");
        JsonNode change = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "business")).json();
        JsonNode answered = change.at("/lines/0");
        JsonNode invoice = s.api.get("/v1/invoices/" + change.get("invoice_id").asText()).json();
        JsonNode invoiced = invoice.at("/lines/0");
        assertThat(preview.get("quantity").asText()).isEqualTo("0.466666666667");
        assertThat(answered.get("quantity").asText()).isEqualTo(preview.get("quantity").asText());
        assertThat(invoiced.get("quantity").asText()).isEqualTo(preview.get("quantity").asText());
        assertThat(invoiced.get("unit_price").asText()).isEqualTo(preview.get("unit_price").asText()).isEqualTo("90.00");
        assertThat(invoiced.get("amount").asText()).isEqualTo(preview.get("amount").asText()).isEqualTo("42.00");
        assertThat(invoiced.get("description").asText()).isEqualTo(preview.get("description").asText()).endsWith("(14/30 days)");
        // the change invoice carries the period it charges for
        assertThat(invoice.get("period_start").asText()).isEqualTo("2026-06-17");
        assertThat(invoice.get("period_end").asText()).isEqualTo("2026-07-01");
    }

    @Test
    void walletAmountsHaveTheCurrencysMinorDigitsLikeInvoices() {
        Sandbox s = new Sandbox("reading wallet", Fixtures.CATALOG_V1, "2026-06-01T10:00:00Z");
        Map<String, Object> body = Fixtures.customer("Prepaid Reader");
        body.put("account_type", "prepaid");
        body.put("test_clock_id", s.clockId);
        String c = s.api.post("/v1/customers", body).text("id");
        var receipt = s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "100", "currency", "USD"));
        assertThat(receipt.text("amount")).isEqualTo("100.00");
        assertThat(receipt.text("balance_after")).isEqualTo("100.00");
        s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "22.5", "currency", "USD"));
        var wallet = s.api.get("/v1/customers/" + c + "/wallet");
        assertThat(wallet.text("balance")).isEqualTo("122.50");
        assertThat(wallet.text("credit_limit")).isEqualTo("0.00");
        assertThat(s.api.get("/v1/customers/" + c + "/wallet/entries").json().at("/data/0/amount").asText()).isEqualTo("22.50");
        assertThat(s.api.get("/v1/customers/" + c + "/wallet/statements/2026-06").text("closing_balance")).isEqualTo("122.50");
    }
}

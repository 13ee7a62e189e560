package dev.accrue.server.document;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A proforma carries the taxes of the invoice it precedes: the same lines, tax lines, VAT categories and totals. */
class ProformaTaxTest {
    static final String CATALOG = """
            name: proforma-tax
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            products:
              - { code: p, name: P }
            plans:
              - code: upfront
                product: p
                name: Upfront
                tier: 1
                alignment: anniversary
                invoicing: proforma_first
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Upfront plan, monthly_price: { EUR: "120.03" } }
                  - { type: recurring, code: news, name: News, monthly_price: { EUR: "9.99" }, tax_category: reduced }
            """;

    @Test
    void theProformaAndThePaidInvoiceItBecomesCarryTheSameTaxes() {
        Sandbox s = new Sandbox("proforma tax", CATALOG, "2026-06-01T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR")).status()).isEqualTo(200);
        Map<String, Object> seller = DocumentTest.seller();
        seller.putAll(Map.of("country", "FR", "city", "Paris", "postal_code", "75001", "address_line1", "1 rue de la Paix", "vat_id", "FR40303265045"));
        assertThat(s.api.send("PUT", "/v1/seller", seller).status()).isEqualTo(200);
        Map<String, Object> body = Fixtures.customer("Jeanne Proforma");
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "1 rue de la Paix", "city", "Paris", "country", "FR")));
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        String customer = s.api.post("/v1/customers", body).text("id");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "upfront")).get("id").asText();

        JsonNode proforma = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0);
        assertThat(proforma.get("status").asText()).isEqualTo("proforma");
        // 120.03 at 20 % = 24.006 → 24.01; 9.99 at 10 % = 0.999 → 1.00
        assertThat(proforma.get("subtotal").asText() + " " + proforma.get("tax").asText() + " " + proforma.get("total").asText())
                .isEqualTo("130.02 25.01 155.03");
        assertThat(proforma.get("taxes").toString()).contains("\"vat_category\":\"S\"", "\"taxable_amount\":\"120.03\"", "\"tax\":\"24.01\"",
                "\"taxable_amount\":\"9.99\"", "\"tax\":\"1.00\"");

        var paid = s.api.post("/v1/invoices/" + proforma.get("id").asText() + "/mark_paid", Map.of("reference", "SEPA-1"));
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        JsonNode invoice = s.api.get("/v1/invoices/" + proforma.get("id").asText()).json();
        assertThat(invoice.get("status").asText()).isEqualTo("paid");
        assertThat(invoice.get("number").asText()).startsWith("INV-");
        for (String field : new String[]{"subtotal", "tax", "total", "taxes", "lines"}) {
            assertThat(invoice.get(field)).as(field).isEqualTo(proforma.get(field));
        }
        // and the e-invoice of the paid invoice states the same VAT
        String cii = s.api.getFile("/v1/invoices/" + invoice.get("id").asText() + "/cii").text();
        assertThat(cii).contains("<ram:TaxTotalAmount currencyID=\"EUR\">25.01</ram:TaxTotalAmount>", "<ram:GrandTotalAmount>155.03</ram:GrandTotalAmount>");
    }

    @Test
    void aCouponDiscountsTheProformaBeforeTaxAndThePaidInvoiceKeepsIt() {
        Sandbox s = new Sandbox("proforma coupon", CATALOG, "2026-06-01T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR")).status()).isEqualTo(200);
        assertThat(s.api.post("/v1/coupons", Map.of("code", "TEN", "name", "Ten off", "percent_off", "10", "duration", "once")).status()).isEqualTo(201);
        Map<String, Object> body = Fixtures.customer("Jules Coupon");
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "2 rue de la Paix", "city", "Paris", "country", "FR")));
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        String customer = s.api.post("/v1/customers", body).text("id");
        assertThat(s.api.post("/v1/customers/" + customer + "/coupons", Map.of("coupon", "TEN")).status()).isEqualTo(201);
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "upfront")).get("id").asText();

        JsonNode proforma = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0);
        assertThat(proforma.get("status").asText()).isEqualTo("proforma");
        // 10 % of 130.02 = 13.00, split over the charges: 12.00 off the 20 % base, 1.00 off the 10 % news;
        // tax on the discounted bases: 108.03 at 20 % = 21.61, 8.99 at 10 % = 0.90
        assertThat(proforma.get("tax").asText() + " " + proforma.get("total").asText()).isEqualTo("22.51 139.53");
        assertThat(proforma.get("lines").toString()).contains("\"kind\":\"discount\"");
        assertThat(s.api.post("/v1/invoices/" + proforma.get("id").asText() + "/mark_paid", Map.of("reference", "SEPA-2")).status()).isEqualTo(200);
        JsonNode invoice = s.api.get("/v1/invoices/" + proforma.get("id").asText()).json();
        for (String field : new String[]{"subtotal", "tax", "total", "taxes", "lines"}) {
            assertThat(invoice.get(field)).as(field).isEqualTo(proforma.get(field));
        }
    }
}

package dev.accrue.server.document;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tax-inclusive tenant's invoice over a test clock, whole and to the cent: the lines hold the tax, one
 * {@code tax_included} line per rate shows the net and the tax inside them (rounded once per rate, net + tax = what
 * the rate's lines charged), the total is what the lines charged, and the PDF — which the renderer refuses to draw
 * when the rows do not add up — shows all of it.
 */
class TaxInclusiveDocumentTest {
    static final String CATALOG = """
            name: inclusive
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            products:
              - { code: media, name: Media }
            plans:
              - code: bundle
                product: media
                name: Bundle
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Streaming, monthly_price: { EUR: "10.03" } }
                  - { type: recurring, code: news, name: News, monthly_price: { EUR: "5.99" }, tax_category: reduced }
                  - { type: recurring, code: extra, name: Extras, monthly_price: { EUR: "3.38" } }
            """;

    static String lineText(JsonNode l) {
        return l.get("kind").asText() + " " + l.get("charge_code").asText() + " " + l.get("quantity").asText() + " " + l.get("unit_price").asText() + " "
                + l.get("amount").asText();
    }

    @Test
    void aTaxInclusiveInvoiceShowsNetAndTaxPerRateAndReconcilesToTheCent() {
        Sandbox s = new Sandbox("inclusive doc", CATALOG, "2026-06-01T08:00:00Z");
        Map<String, Object> seller = DocumentTest.seller();
        seller.put("country", "FR");
        seller.put("city", "Paris");
        seller.put("postal_code", "75001");
        seller.put("address_line1", "1 rue de la Paix");
        seller.put("vat_id", "FR40303265045");
        assertThat(s.api.send("PUT", "/v1/seller", seller).status()).isEqualTo(200);
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR", "prices", "tax_inclusive")).status()).isEqualTo(200);
        Map<String, Object> body = Fixtures.customer("Paul Durand");
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "3 quai Voltaire", "city", "Paris", "postal_code", "75007", "country", "FR")));
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        String customer = s.api.post("/v1/customers", body).text("id");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "bundle")).get("id").asText();
        s.advanceTo("2026-07-01T08:00:00Z");

        List<JsonNode> invoices = new ArrayList<>();
        s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").forEach(invoices::add);
        assertThat(invoices).hasSize(2);
        JsonNode july = invoices.getFirst();
        assertThat(july.get("issue_date").asText()).isEqualTo("2026-07-01");
        List<String> lines = new ArrayList<>();
        july.get("lines").forEach(l -> lines.add(lineText(l)));
        // 20 %: 10.03 + 3.38 = 13.41 gross, tax 13.41 × 0.2 / 1.2 = 2.235 → 2.24 (once for the rate, not 1.67 + 0.56 = 2.23), net 11.17
        // 10 %: 5.99 gross, tax 0.5445… → 0.54, net 5.45
        assertThat(lines).containsExactly(
                "recurring base 1 10.03 10.03",
                "recurring news 1 5.99 5.99",
                "recurring extra 1 3.38 3.38",
                "tax_included VAT 0.2 11.17 2.24",
                "tax_included VAT 0.1 5.45 0.54");
        assertThat(List.of(july.get("subtotal").asText(), july.get("tax").asText(), july.get("total").asText())).containsExactly("16.62", "2.78", "19.40");
        JsonNode vat20 = july.get("taxes").get(0);
        assertThat(vat20.get("included").asBoolean()).isTrue();
        assertThat(vat20.get("vat_category").asText()).isEqualTo("S");
        assertThat(vat20.get("country").asText()).isEqualTo("FR");
        assertThat(vat20.get("description").asText()).isEqualTo("VAT 20 % included");

        String pdf = Pdfs.read(s.api.getFile("/v1/invoices/" + july.get("id").asText() + "/pdf").body()).text();
        assertThat(pdf).contains("Streaming", "10.03", "News", "5.99", "Extras", "3.38",
                "Subtotal 19.40 EUR", "Total 19.40 EUR", "Net amount 16.62 EUR", "VAT 20 % included 2.24 EUR", "VAT 10 % included 0.54 EUR",
                "Amount due 19.40 EUR", "Prices include tax", "VAT (S) 20 % 11.17 2.24 13.41", "VAT (S) 10 % 5.45 0.54 5.99");
        // the CSV export agrees: subtotal is the net, tax what the rates hold, total what was charged
        String csv = s.api.getFile("/v1/exports/invoices?from=2026-07-01&to=2026-08-01&format=csv").text();
        assertThat(csv).contains(july.get("number").asText()).contains("16.62,2.78,0.00,19.40");
    }
}

package dev.accrue.server.document;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;
import org.mustangproject.validator.ZUGFeRDValidator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each tax line's EN 16931 VAT category reaches the CII and the UBL made through Mustang, and Mustang's validator
 * (XML schema and the EN 16931 schematron business rules) accepts them: a standard-rated invoice (S 19 %), a
 * reverse-charged one (AE, with the Art. 196 mention and VATEX-EU-AE), one with an exempt line beside a standard one
 * (S and E with its reason), an export outside the EU (G), and a tax-inclusive one whose lines go out at their net.
 */
class EInvoiceVatCategoriesTest {
    static final String CATALOG = """
            name: einvoice-vat
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            products:
              - { code: voice, name: Voice }
            plans:
              - code: pro
                product: voice
                name: Pro
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Pro plan, monthly_price: { EUR: "49.00" } }
              - code: mixed
                product: voice
                name: Mixed
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Mixed plan, monthly_price: { EUR: "49.00" } }
                  - { type: recurring, code: insurance, name: Device insurance, monthly_price: { EUR: "10.00" }, tax_category: exempt }
              - code: inclusive
                product: voice
                name: Inclusive
                tier: 3
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Inclusive plan, monthly_price: { EUR: "10.03" } }
                  - { type: recurring, code: extra, name: Extra, monthly_price: { EUR: "7.77" } }
              - code: odd
                product: voice
                name: Odd
                tier: 4
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Odd plan, monthly_price: { EUR: "10.05" } }
            """;

    private static Sandbox sandbox(String label, String prices) {
        Sandbox s = new Sandbox(label, CATALOG, "2026-03-01T09:00:00Z");
        assertThat(s.api.send("PUT", "/v1/seller", DocumentTest.seller()).status()).isEqualTo(200);
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "DE", "prices", prices)).status()).isEqualTo(200);
        return s;
    }

    private static String invoice(Sandbox s, String name, String country, String status, String vatId, String plan) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        body.put("tax_status", status);
        if (vatId != null) {
            body.put("tax_id", vatId);
        }
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "1 Main Street", "city", "Town", "postal_code", "12345", "country", country)));
        var created = s.api.post("/v1/customers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String sub = s.subscribe(Map.of("customer_id", created.text("id"), "plan", plan)).get("id").asText();
        JsonNode data = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data");
        return data.get(0).get("id").asText();
    }

    private static String validCii(Sandbox s, String invoiceId) {
        var cii = s.api.getFile("/v1/invoices/" + invoiceId + "/cii");
        assertThat(cii.status()).as(cii.text()).isEqualTo(200);
        assertValid(cii.body(), "cii.xml");
        var ubl = s.api.getFile("/v1/invoices/" + invoiceId + "/ubl");
        assertValid(ubl.body(), "ubl.xml");
        return cii.text().replaceAll(">\\s+<", "><");
    }

    private static void assertValid(byte[] file, String name) {
        ZUGFeRDValidator validator = new ZUGFeRDValidator();
        String report = validator.validate(file, name);
        assertThat(validator.wasCompletelyValid()).as(report).isTrue();
    }

    @Test
    void standardRatedReverseChargedExemptAndExportedLinesCarryTheirCategories() {
        Sandbox s = sandbox("einvoice vat", "tax_exclusive");

        String standard = validCii(s, invoice(s, "Berliner Verbraucher", "DE", "taxable", null, "pro"));
        assertThat(standard).contains("<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19.00</ram:RateApplicablePercent>",
                "<ram:CalculatedAmount>9.31</ram:CalculatedAmount>", "<ram:GrandTotalAmount>58.31</ram:GrandTotalAmount>")
                .doesNotContain("<ram:CategoryCode>Z</ram:CategoryCode>");

        String reverse = validCii(s, invoice(s, "Rivoli Consulting SARL", "FR", "business", "FR40303265045", "pro"));
        assertThat(reverse).contains("<ram:CategoryCode>AE</ram:CategoryCode>", "<ram:ExemptionReasonCode>VATEX-EU-AE</ram:ExemptionReasonCode>",
                "Reverse charge — VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)", "FR40303265045",
                "<ram:GrandTotalAmount>49.00</ram:GrandTotalAmount>");

        String exempt = validCii(s, invoice(s, "Gemischt GmbH", "DE", "taxable", null, "mixed"));
        assertThat(exempt).contains("<ram:CategoryCode>S</ram:CategoryCode>", "<ram:CategoryCode>E</ram:CategoryCode>", "Exempt from tax",
                "<ram:TaxBasisTotalAmount>59.00</ram:TaxBasisTotalAmount>", "<ram:TaxTotalAmount currencyID=\"EUR\">9.31</ram:TaxTotalAmount>",
                "<ram:GrandTotalAmount>68.31</ram:GrandTotalAmount>");

        String export = validCii(s, invoice(s, "Acme Inc", "US", "business", null, "pro"));
        assertThat(export).contains("<ram:CategoryCode>G</ram:CategoryCode>", "<ram:ExemptionReasonCode>VATEX-EU-G</ram:ExemptionReasonCode>",
                "<ram:GrandTotalAmount>49.00</ram:GrandTotalAmount>");
    }

    @Test
    void taxInclusiveLinesGoOutAtTheirNetAndEveryRoundingStatesTheDocumentsOwnTax() {
        Sandbox s = sandbox("einvoice inclusive", "tax_inclusive");
        // 10.03 + 7.77 = 17.80 gross at 19 %: tax 2.84, net 14.96 (8.43 + 6.53) — and 14.96 × 19 % = 2.8424 → 2.84, as EN 16931 recomputes it
        String id = invoice(s, "Inklusiv Kunde", "DE", "taxable", null, "inclusive");
        JsonNode inv = s.api.get("/v1/invoices/" + id).json();
        assertThat(inv.get("taxes").get(0).get("taxable_amount").asText() + " " + inv.get("taxes").get(0).get("tax").asText()).isEqualTo("14.96 2.84");
        String cii = validCii(s, id);
        assertThat(cii).contains("<ram:LineTotalAmount>8.43</ram:LineTotalAmount>", "<ram:LineTotalAmount>6.53</ram:LineTotalAmount>",
                "<ram:BasisAmount>14.96</ram:BasisAmount>", "<ram:CalculatedAmount>2.84</ram:CalculatedAmount>", "<ram:GrandTotalAmount>17.80</ram:GrandTotalAmount>");

        // 10.05 at 19 %: tax 1.60 inside, net 8.45 — 8.45 × 19 % = 1.6055 → 1.61, so no net states this tax exactly; the e-invoice states
        // the invoice's 1.60 (BR-CO-17 accepts a tax less than one unit off taxable × rate) and the customer pays the 10.05 shown
        String odd = invoice(s, "Ungerade Kunde", "DE", "taxable", null, "odd");
        String oddCii = validCii(s, odd);
        assertThat(oddCii).contains("<ram:BasisAmount>8.45</ram:BasisAmount>", "<ram:CalculatedAmount>1.60</ram:CalculatedAmount>",
                "<ram:GrandTotalAmount>10.05</ram:GrandTotalAmount>", "<ram:DuePayableAmount>10.05</ram:DuePayableAmount>");
        var facturX = s.api.getFile("/v1/invoices/" + odd + "/facturx");
        assertThat(facturX.status()).isEqualTo(200);
        assertValid(facturX.body(), "facturx.pdf");
        assertThat(Pdfs.read(s.api.getFile("/v1/invoices/" + odd + "/pdf").body()).text()).contains("Total 10.05 EUR", "Net amount 8.45 EUR",
                "VAT 19 % included 1.60 EUR");

        // credit notes of tax-inclusive invoices are e-invoices too: the whole odd invoice, and the first line of the other
        var oddNote = s.api.post("/v1/invoices/" + odd + "/credit_notes", Map.of("reason", "Cancelled"));
        assertThat(oddNote.status()).as(oddNote.toString()).isEqualTo(201);
        assertThat(oddNote.text("total")).isEqualTo("10.05");
        var oddNoteCii = s.api.getFile("/v1/credit_notes/" + oddNote.text("id") + "/cii");
        assertThat(oddNoteCii.status()).as(oddNoteCii.text()).isEqualTo(200);
        assertValid(oddNoteCii.body(), "cii.xml");
        assertThat(oddNoteCii.text().replaceAll(">\\s+<", "><")).contains("<ram:TypeCode>381</ram:TypeCode>", "<ram:BasisAmount>8.45</ram:BasisAmount>",
                "<ram:CalculatedAmount>1.60</ram:CalculatedAmount>", "<ram:GrandTotalAmount>10.05</ram:GrandTotalAmount>");
        assertValid(s.api.getFile("/v1/credit_notes/" + oddNote.text("id") + "/ubl").body(), "ubl.xml");
        // line 1 (10.03 with tax) holds 8.43 net and 1.60 of the rate's 2.84: the tax shared over the rate's lines by largest remainder
        var lineNote = s.api.post("/v1/invoices/" + id + "/credit_notes", Map.of("reason", "Outage", "lines", List.of(Map.of("line", 1))));
        assertThat(lineNote.status()).as(lineNote.toString()).isEqualTo(201);
        assertThat(lineNote.text("total")).isEqualTo("10.03");
        var lineNoteCii = s.api.getFile("/v1/credit_notes/" + lineNote.text("id") + "/cii");
        assertThat(lineNoteCii.status()).as(lineNoteCii.text()).isEqualTo(200);
        assertValid(lineNoteCii.body(), "cii.xml");
        assertThat(lineNoteCii.text().replaceAll(">\\s+<", "><")).contains("<ram:BasisAmount>8.43</ram:BasisAmount>",
                "<ram:CalculatedAmount>1.60</ram:CalculatedAmount>", "<ram:GrandTotalAmount>10.03</ram:GrandTotalAmount>");
        assertThat(Pdfs.read(s.api.getFile("/v1/credit_notes/" + lineNote.text("id") + "/pdf").body()).text())
                .contains("Total credited 10.03 EUR", "Net amount 8.43 EUR", "VAT 19 % included 1.60 EUR");
    }
}

package dev.accrue.server.document;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;
import org.mustangproject.validator.ZUGFeRDValidator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discounts before tax, rate by rate: a coupon lowers the taxable amount of the lines it discounted, at their own rates
 * (19 % standard, 7 % reduced, exempt), the invoice shows one discount line per coupon and rate, the e-invoice carries
 * each as a document-level allowance (BG-20) of that rate (valid CII and UBL), the tax report reconciles, and a credit
 * note of the discounted invoice takes back exactly each rate's discounted net and tax.
 */
class DiscountTaxTest {
    static final String CATALOG = """
            name: discount-tax
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            products:
              - { code: shop, name: Shop }
            plans:
              - code: mixed
                product: shop
                name: Mixed
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Platform, monthly_price: { EUR: "100.00" } }
                  - { type: recurring, code: books, name: E-books, monthly_price: { EUR: "50.00" }, tax_category: reduced }
                  - { type: recurring, code: insurance, name: Insurance, monthly_price: { EUR: "10.00" }, tax_category: exempt }
            """;

    private static Sandbox sandbox(String label) {
        return sandbox(label, "tax_exclusive");
    }

    private static Sandbox sandbox(String label, String prices) {
        Sandbox s = new Sandbox(label, CATALOG, "2026-03-01T09:00:00Z");
        assertThat(s.api.send("PUT", "/v1/seller", DocumentTest.seller()).status()).isEqualTo(200);
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "DE", "prices", prices)).status()).isEqualTo(200);
        return s;
    }

    /** A German customer who redeemed {@code coupon} (if any), then subscribed: the invoice of the month, discounted. */
    private static JsonNode invoice(Sandbox s, String name, String coupon) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "1 Hauptstraße", "city", "Berlin", "postal_code", "10115", "country", "DE")));
        var created = s.api.post("/v1/customers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        if (coupon != null) {
            var redeemed = s.api.post("/v1/customers/" + created.text("id") + "/coupons", Map.of("coupon", coupon));
            assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);
        }
        String sub = s.subscribe(Map.of("customer_id", created.text("id"), "plan", "mixed")).get("id").asText();
        return s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0);
    }

    private static List<String> taxes(JsonNode invoice) {
        List<String> out = new ArrayList<>();
        invoice.get("taxes").forEach(t -> out.add(t.get("rate").asText() + " " + t.get("taxable_amount").asText() + " " + t.get("tax").asText()));
        return out;
    }

    private static List<String> discounts(JsonNode invoice) {
        List<String> out = new ArrayList<>();
        invoice.get("lines").forEach(l -> {
            if ("discount".equals(l.get("kind").asText())) {
                out.add(l.get("amount").asText() + " " + l.get("description").asText());
            }
        });
        return out;
    }

    private static void assertValid(byte[] file, String name) {
        ZUGFeRDValidator validator = new ZUGFeRDValidator();
        String report = validator.validate(file, name);
        assertThat(validator.wasCompletelyValid()).as(report).isTrue();
    }

    @Test
    void aCouponLowersTheBaseOfEachRateItDiscounted() {
        Sandbox s = sandbox("discount tax");
        assertThat(s.api.post("/v1/coupons", Map.of("code", "INSURE", "name", "Half insurance", "percent_off", "50", "duration", "forever",
                "charges", List.of("insurance"))).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/coupons", Map.of("code", "TEN", "name", "Ten off", "percent_off", "10", "duration", "forever")).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/coupons", Map.of("code", "FREE", "name", "Free", "percent_off", "100", "duration", "forever")).status()).isEqualTo(201);

        JsonNode plain = invoice(s, "Ohne Rabatt GmbH", null);
        assertThat(taxes(plain)).containsExactly("0.19 100.00 19.00", "0.07 50.00 3.50", "0 10.00 0.00");

        // a coupon on the exempt charge only: the standard and reduced taxes are unchanged, the exempt base is halved
        JsonNode exempt = invoice(s, "Versichert GmbH", "INSURE");
        assertThat(taxes(exempt)).containsExactly("0.19 100.00 19.00", "0.07 50.00 3.50", "0 5.00 0.00");
        assertThat(discounts(exempt)).containsExactly("-5.00 Coupon INSURE (Half insurance): 50% off insurance");
        assertThat(exempt.get("total").asText()).isEqualTo("177.50");

        // 10 % off the whole invoice lowers every rate's base by 10 %, one discount line per rate
        JsonNode ten = invoice(s, "Zehn Prozent GmbH", "TEN");
        assertThat(taxes(ten)).containsExactly("0.19 90.00 17.10", "0.07 45.00 3.15", "0 9.00 0.00");
        assertThat(discounts(ten)).containsExactly("-10.00 Coupon TEN (Ten off): 10% off (VAT 19 %)", "-5.00 Coupon TEN (Ten off): 10% off (VAT 7 %)",
                "-1.00 Coupon TEN (Ten off): 10% off (VAT 0 % — Exempt from tax)");
        assertThat(ten.get("subtotal").asText() + " " + ten.get("tax").asText() + " " + ten.get("total").asText()).isEqualTo("144.00 20.25 164.25");

        // its e-invoice: the discounts are allowances at their own rates; Mustang's validator accepts the CII and the UBL
        String tenId = ten.get("id").asText();
        var cii = s.api.getFile("/v1/invoices/" + tenId + "/cii");
        assertThat(cii.status()).as(cii.text()).isEqualTo(200);
        assertValid(cii.body(), "cii.xml");
        assertValid(s.api.getFile("/v1/invoices/" + tenId + "/ubl").body(), "ubl.xml");
        String xml = cii.text().replaceAll(">\\s+<", "><");
        assertThat(xml).contains("<ram:BasisAmount>90.00</ram:BasisAmount>", "<ram:BasisAmount>45.00</ram:BasisAmount>",
                "<ram:AllowanceTotalAmount>16.00</ram:AllowanceTotalAmount>", "<ram:TaxTotalAmount currencyID=\"EUR\">20.25</ram:TaxTotalAmount>",
                "<ram:GrandTotalAmount>164.25</ram:GrandTotalAmount>");

        // 100 % off: a 0.00 invoice with no tax
        JsonNode free = invoice(s, "Gratis GmbH", "FREE");
        assertThat(taxes(free)).containsExactly("0.19 0.00 0.00", "0.07 0.00 0.00", "0 0.00 0.00");
        assertThat(free.get("total").asText() + " " + free.get("tax").asText()).isEqualTo("0.00 0.00");

        // the tax report states the discounted bases, and reconciles with the invoices
        JsonNode report = s.api.get("/v1/exports/tax_report?from=2026-03-01&to=2026-04-01").json();
        List<String> rows = new ArrayList<>();
        report.get("data").forEach(r -> rows.add(r.get("rate").asText() + " " + r.get("vat_category").asText() + " " + r.get("taxable_amount").asText()
                + " " + r.get("tax").asText()));
        assertThat(rows).containsExactlyInAnyOrder("0 E 24.00 0.00", "0.07 S 145.00 10.15", "0.19 S 290.00 55.10");
        BigDecimal rowsSum = BigDecimal.ZERO;
        for (JsonNode r : report.get("data")) {
            rowsSum = rowsSum.add(new BigDecimal(r.get("taxable_amount").asText())).add(new BigDecimal(r.get("tax").asText()));
        }
        assertThat(rowsSum).isEqualByComparingTo(new BigDecimal(plain.get("total").asText()).add(new BigDecimal(exempt.get("total").asText()))
                .add(new BigDecimal(ten.get("total").asText())).add(new BigDecimal(free.get("total").asText())));

        // a credit note of the discounted invoice as a whole gives back each rate's discounted net and tax
        var note = s.api.post("/v1/invoices/" + tenId + "/credit_notes", Map.of("reason", "Cancelled"));
        assertThat(note.status()).as(note.toString()).isEqualTo(201);
        assertThat(note.text("total")).isEqualTo("164.25");
        JsonNode exported = s.api.get("/v1/exports/credit_notes?from=2026-03-01&to=2026-04-01").json().get("data").get(0);
        assertThat(exported.get("net").asText() + " " + exported.get("tax").asText()).isEqualTo("144.00 20.25");
        JsonNode after = s.api.get("/v1/exports/tax_report?from=2026-03-01&to=2026-04-01").json();
        List<String> afterRows = new ArrayList<>();
        after.get("data").forEach(r -> afterRows.add(r.get("rate").asText() + " " + r.get("taxable_amount").asText() + " " + r.get("tax").asText()));
        assertThat(afterRows).containsExactlyInAnyOrder("0 15.00 0.00", "0.07 100.00 7.00", "0.19 200.00 38.00");
    }

    /** Tax-inclusive prices: the discount lowers each rate's gross, and the allowances at their net give a valid e-invoice; so does a 100 % coupon's. */
    @Test
    void taxInclusiveAndFullyDiscountedInvoicesAreValidEInvoices() {
        Sandbox s = sandbox("discount tax inclusive", "tax_inclusive");
        assertThat(s.api.post("/v1/coupons", Map.of("code", "TEN", "name", "Ten off", "percent_off", "10", "duration", "forever")).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/coupons", Map.of("code", "FREE", "name", "Free", "percent_off", "100", "duration", "forever")).status()).isEqualTo(201);
        JsonNode ten = invoice(s, "Inklusiv Zehn GmbH", "TEN");
        // gross 90.00 at 19 %: tax 14.37, net 75.63; 45.00 at 7 %: tax 2.94, net 42.06; 9.00 exempt
        assertThat(taxes(ten)).containsExactly("0.19 75.63 14.37", "0.07 42.06 2.94", "0 9.00 0.00");
        assertThat(ten.get("total").asText()).isEqualTo("144.00");
        for (JsonNode inv : List.of(ten, invoice(s, "Inklusiv Gratis GmbH", "FREE"))) {
            String id = inv.get("id").asText();
            var cii = s.api.getFile("/v1/invoices/" + id + "/cii");
            assertThat(cii.status()).as(cii.text()).isEqualTo(200);
            assertValid(cii.body(), "cii.xml");
            assertValid(s.api.getFile("/v1/invoices/" + id + "/ubl").body(), "ubl.xml");
            assertThat(cii.text().replaceAll(">\\s+<", "><")).contains("<ram:GrandTotalAmount>" + inv.get("total").asText() + "</ram:GrandTotalAmount>");
        }
    }
}

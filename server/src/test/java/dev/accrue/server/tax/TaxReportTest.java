package dev.accrue.server.tax;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tax report of a period over a test clock: taxable amount and tax per (country, region, tax type, rate, VAT
 * category), invoices minus credit notes, reconciling to the cent with the invoices and credit notes of the period.
 */
class TaxReportTest {
    static final String CATALOG = """
            name: report
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            products:
              - { code: p, name: P }
            plans:
              - code: basic
                product: p
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Basic, monthly_price: { EUR: "10.03" } }
                  - { type: recurring, code: news, name: News, monthly_price: { EUR: "4.99" }, tax_category: reduced }
            """;

    private static String customer(Sandbox s, String name, String country, String status, String taxId) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "1 Main Street", "city", "Town", "country", country)));
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        body.put("tax_status", status);
        if (taxId != null) {
            body.put("tax_id", taxId);
        }
        var created = s.api.post("/v1/customers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    private static String row(JsonNode r) {
        return String.join(" ", r.get("country").asText(), r.get("tax_type").asText(), r.get("rate").asText(), r.get("vat_category").asText(),
                r.get("taxable_amount").asText(), r.get("tax").asText(), r.get("invoices").asText(), r.get("credit_notes").asText());
    }

    @Test
    void taxPerJurisdictionRateAndCategoryIsInvoicesMinusCreditNotesToTheCent() {
        Sandbox s = new Sandbox("tax report", CATALOG, "2026-06-01T08:00:00Z");
        s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR"));
        List<String> subs = new ArrayList<>();
        subs.add(s.subscribe(Map.of("customer_id", customer(s, "Jeanne", "FR", "taxable", null), "plan", "basic")).get("id").asText());
        subs.add(s.subscribe(Map.of("customer_id", customer(s, "Paul", "FR", "taxable", null), "plan", "basic")).get("id").asText());
        subs.add(s.subscribe(Map.of("customer_id", customer(s, "Müller GmbH", "DE", "business", "DE123456789"), "plan", "basic")).get("id").asText());
        subs.add(s.subscribe(Map.of("customer_id", customer(s, "Acme Inc", "US", "business", null), "plan", "basic")).get("id").asText());
        s.advanceTo("2026-06-10T08:00:00Z");
        // a partial credit of Paul's invoice as a whole, and a credit of Jeanne's plan line
        String paulInvoice = s.api.get("/v1/invoices?subscription_id=" + subs.get(1)).json().get("data").get(0).get("id").asText();
        var whole = s.api.post("/v1/invoices/" + paulInvoice + "/credit_notes", Map.of("amount", "6.00", "reason", "Goodwill"));
        assertThat(whole.status()).as(whole.toString()).isEqualTo(201);
        String jeanneInvoice = s.api.get("/v1/invoices?subscription_id=" + subs.get(0)).json().get("data").get(0).get("id").asText();
        var line = s.api.post("/v1/invoices/" + jeanneInvoice + "/credit_notes", Map.of("lines", List.of(Map.of("line", 1, "amount", "3.00")),
                "reason", "Outage"));
        assertThat(line.status()).as(line.toString()).isEqualTo(201);

        JsonNode report = s.api.get("/v1/exports/tax_report?from=2026-06-01&to=2026-07-01").json();
        List<String> rows = new ArrayList<>();
        report.get("data").forEach(r -> rows.add(row(r)));
        // FR 20 %: 2 × 10.03 taxed 2 × 2.01, less Jeanne's line credit of 3.00 (2.50 + 0.50) and the 4.12 of Paul's 6.00 that falls on his
        // 12.04 at 20 % (3.43 + 0.69; the other 1.88 falls on his 5.49 at 10 %: 1.71 + 0.17), each split in its rate's own proportion
        assertThat(rows).containsExactly(
                "DE VAT 0 AE 15.02 0.00 1 0",
                "FR VAT 0.1 S 8.27 0.83 2 1",
                "FR VAT 0.2 S 14.13 2.83 2 2",
                "US  0 G 15.02 0.00 1 0");
        JsonNode totals = report.get("totals").get(0);
        assertThat(totals.get("invoiced").asText() + " " + totals.get("credited").asText() + " " + totals.get("net").asText())
                .isEqualTo("65.10 9.00 56.10");
        // the rows reconcile exactly with the period's invoices (before credit and prepaid) and credit notes
        BigDecimal invoiced = BigDecimal.ZERO;
        for (String sub : subs) {
            for (JsonNode inv : s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data")) {
                invoiced = invoiced.add(new BigDecimal(inv.get("subtotal").asText())).add(new BigDecimal(inv.get("tax").asText()));
            }
        }
        BigDecimal rowsSum = BigDecimal.ZERO;
        for (JsonNode r : report.get("data")) {
            rowsSum = rowsSum.add(new BigDecimal(r.get("taxable_amount").asText())).add(new BigDecimal(r.get("tax").asText()));
        }
        assertThat(invoiced).isEqualByComparingTo("65.10");
        assertThat(rowsSum).isEqualByComparingTo(invoiced.subtract(new BigDecimal("9.00")));

        var csv = s.api.getFile("/v1/exports/tax_report?from=2026-06-01&to=2026-07-01&format=csv");
        assertThat(csv.header("content-type")).startsWith("text/csv");
        List<String> lines = csv.text().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("country,region,tax_type,rate,vat_category,currency,taxable_amount,tax,invoices,credit_notes");
        assertThat(lines).contains("FR,,VAT,0.2,S,EUR,14.13,2.83,2,2");
        // an empty period, and a bad one
        assertThat(s.api.get("/v1/exports/tax_report?from=2026-07-01&to=2026-08-01").json().get("data")).isEmpty();
        assertThat(s.api.get("/v1/exports/tax_report?from=2026-07-01&to=2026-06-01").code()).isEqualTo("invalid_period");
    }

    /**
     * An invoice credited in full takes back exactly what it reported, rate by rate: the period's rows come to zero, in
     * both price modes, for standard, reduced, reverse-charged and exported charges.
     */
    @Test
    void invoicesCreditedInFullReconcileToZero() {
        for (String prices : List.of("tax_exclusive", "tax_inclusive")) {
            Sandbox s = new Sandbox("tax report full credit " + prices, CATALOG, "2026-06-01T08:00:00Z");
            assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR", "prices", prices)).status()).isEqualTo(200);
            List<String> subs = new ArrayList<>();
            subs.add(s.subscribe(Map.of("customer_id", customer(s, "Jeanne", "FR", "taxable", null), "plan", "basic")).get("id").asText());
            subs.add(s.subscribe(Map.of("customer_id", customer(s, "Müller GmbH", "DE", "business", "DE123456789"), "plan", "basic")).get("id").asText());
            subs.add(s.subscribe(Map.of("customer_id", customer(s, "Acme Inc", "US", "business", null), "plan", "basic")).get("id").asText());
            for (String sub : subs) {
                JsonNode invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0);
                // a part of the first line first, then all the rest
                var part = s.api.post("/v1/invoices/" + invoice.get("id").asText() + "/credit_notes", Map.of("lines", List.of(Map.of("line", 1, "amount", "1.01")),
                        "reason", "Outage"));
                assertThat(part.status()).as(part.toString()).isEqualTo(201);
                var rest = s.api.post("/v1/invoices/" + invoice.get("id").asText() + "/credit_notes", Map.of("reason", "Cancelled"));
                assertThat(rest.status()).as(rest.toString()).isEqualTo(201);
                BigDecimal charged = new BigDecimal(invoice.get("subtotal").asText()).add(new BigDecimal(invoice.get("tax").asText()));
                assertThat(new BigDecimal(rest.text("total")).add(new BigDecimal("1.01"))).as(prices).isEqualByComparingTo(charged);
            }
            JsonNode report = s.api.get("/v1/exports/tax_report?from=2026-06-01&to=2026-07-01").json();
            List<String> rows = new ArrayList<>();
            report.get("data").forEach(r -> rows.add(row(r)));
            assertThat(rows).as(prices).containsExactly(
                    "DE VAT 0 AE 0.00 0.00 1 2",
                    "FR VAT 0.1 S 0.00 0.00 1 1",
                    "FR VAT 0.2 S 0.00 0.00 1 2",
                    "US  0 G 0.00 0.00 1 2");
            assertThat(report.at("/totals/0/net").asText()).isEqualTo("0.00");

            // the credit notes export: net + tax = total per note and per line, and together they are the invoices' net and tax
            BigDecimal invoicedNet = BigDecimal.ZERO;
            BigDecimal invoicedTax = BigDecimal.ZERO;
            for (String sub : subs) {
                JsonNode inv = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0);
                invoicedNet = invoicedNet.add(new BigDecimal(inv.get("subtotal").asText()));
                invoicedTax = invoicedTax.add(new BigDecimal(inv.get("tax").asText()));
            }
            JsonNode notes = s.api.get("/v1/exports/credit_notes?from=2026-06-01&to=2026-07-01").json().get("data");
            assertThat(notes).hasSize(6);
            BigDecimal net = BigDecimal.ZERO;
            BigDecimal tax = BigDecimal.ZERO;
            for (JsonNode n : notes) {
                assertThat(new BigDecimal(n.get("net").asText()).add(new BigDecimal(n.get("tax").asText())))
                        .isEqualByComparingTo(new BigDecimal(n.get("total").asText()));
                net = net.add(new BigDecimal(n.get("net").asText()));
                tax = tax.add(new BigDecimal(n.get("tax").asText()));
            }
            assertThat(net).as(prices).isEqualByComparingTo(invoicedNet);
            assertThat(tax).as(prices).isEqualByComparingTo(invoicedTax);
            JsonNode noteLines = s.api.get("/v1/exports/credit_note_lines?from=2026-06-01&to=2026-07-01").json().get("data");
            for (JsonNode l : noteLines) {
                assertThat(new BigDecimal(l.get("net").asText()).add(new BigDecimal(l.get("tax").asText())))
                        .isEqualByComparingTo(new BigDecimal(l.get("amount").asText()));
            }
            String csv = s.api.getFile("/v1/exports/credit_notes?from=2026-06-01&to=2026-07-01&format=csv").text();
            assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo(
                    "credit_note_id,number,invoice_id,invoice_number,customer_id,customer_name,customer_tax_id,issue_date,currency,net,tax,total,resolution,reason");
            assertThat(s.api.get("/v1/exports/credit_note_lines?from=2026-07-01&to=2026-06-01").code()).isEqualTo("invalid_period");
        }
    }
}

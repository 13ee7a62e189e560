package dev.accrue.server.document;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.auth.Caller;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;
import org.mustangproject.validator.ZUGFeRDValidator;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of document rendered through the API and read back with PDFBox; e-invoices validated with Mustang. */
class DocumentTest {
    static final String CATALOG = """
            name: documents
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
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
              - code: proforma
                product: voice
                name: Proforma plan
                tier: 2
                alignment: anniversary
                invoicing: proforma_first
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Proforma plan fee, monthly_price: { EUR: "120.00" } }
            """;

    static Map<String, Object> seller() {
        Map<String, Object> s = new HashMap<>();
        s.put("legal_name", "Accrue Telecom GmbH");
        s.put("address_line1", "Friedrichstraße 123");
        s.put("city", "Berlin");
        s.put("postal_code", "10117");
        s.put("country", "DE");
        s.put("vat_id", "DE123456789");
        s.put("registration_number", "HRB 987654 B");
        s.put("email", "billing@accrue-telecom.example");
        s.put("brand_color", "#0A7E5C");
        s.put("invoice_footer", "Thank you for your business. Questions: billing@accrue-telecom.example");
        s.put("bank_account_holder", "Accrue Telecom GmbH");
        s.put("bank_name", "Berliner Bank");
        s.put("iban", "DE89 3704 0044 0532 0130 00");
        s.put("bic", "COBADEFFXXX");
        s.put("payment_terms_days", 14);
        return s;
    }

    static Sandbox sandboxWithSeller(String label) {
        Sandbox s = new Sandbox(label, CATALOG, "2026-03-01T09:00:00Z");
        var put = s.api.send("PUT", "/v1/seller", seller());
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        return s;
    }

    static String customer(Sandbox s, String name, int netDays) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("currency", "EUR");
        body.put("time_zone", "Europe/Berlin");
        body.put("test_clock_id", s.clockId);
        body.put("tax_id", "FR40303265045");
        body.put("billing_address", Map.of("line1", "12 Rue de Rivoli", "city", "Paris", "postal_code", "75001", "country", "FR"));
        body.put("payment_terms", Map.of("collection_method", "manual", "net_days", netDays));
        var r = s.api.post("/v1/customers", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }

    static JsonNode firstInvoice(Sandbox s, String subscriptionId) {
        JsonNode data = s.api.get("/v1/invoices?subscription_id=" + subscriptionId).json().get("data");
        assertThat(data).isNotEmpty();
        return data.get(data.size() - 1);
    }

    @Test
    void anInvoicePdfShowsSellerCustomerDatesLinesTotalsAndPayment() {
        Sandbox s = sandboxWithSeller("invoice pdf");
        String c = customer(s, "Rivoli Consulting SARL", 14);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        JsonNode inv = firstInvoice(s, sub);
        String id = inv.get("id").asText();

        Api.FileResponse pdf = s.api.getFile("/v1/invoices/" + id + "/pdf");
        assertThat(pdf.status()).as(pdf.toString()).isEqualTo(200);
        assertThat(pdf.header("content-type")).startsWith("application/pdf");
        Pdfs.Read read = Pdfs.read(pdf.body());
        assertThat(read.allEmbedded()).isTrue();
        assertThat(read.fonts()).allMatch(f -> f.contains("NotoSans"));
        String t = read.text();
        JsonNode line = inv.get("lines").get(0);
        assertThat(t).contains("Invoice", inv.get("number").asText(),
                // seller
                "Accrue Telecom GmbH", "Friedrichstraße 123", "10117 Berlin", "Germany", "VAT ID: DE123456789", "Registration: HRB 987654 B",
                "billing@accrue-telecom.example",
                // customer
                "Rivoli Consulting SARL", "12 Rue de Rivoli", "75001 Paris", "France", "VAT ID: FR40303265045",
                // dates, period and terms
                "Issue date " + inv.get("issue_date").asText(), "Due date " + inv.get("due_date").asText(),
                "Period " + inv.get("period_start").asText() + " – " + LocalDate.parse(inv.get("period_end").asText()).minusDays(1), "Net 14 days",
                // the line and totals
                line.get("description").asText(), "49.00", "Subtotal 49.00 EUR", "Total 49.00 EUR", "Amount due 49.00 EUR",
                // how to pay, footer
                "IBAN DE89370400440532013000", "BIC COBADEFFXXX", "Thank you for your business.", "Page 1 of 1");
        assertThat(LocalDate.parse(inv.get("due_date").asText())).isEqualTo(LocalDate.parse(inv.get("issue_date").asText()).plusDays(14));

        // paid: the document shows the payment date and owes nothing
        assertThat(s.api.post("/v1/invoices/" + id + "/mark_paid", Map.of("reference", "x".repeat(101))).code()).isEqualTo("validation_failed");
        assertThat(s.api.get("/v1/invoices/" + id).text("status")).isEqualTo("finalized");
        assertThat(s.api.post("/v1/invoices/" + id + "/mark_paid", Map.of("reference", "SEPA-2026-0042")).status()).isEqualTo(200);
        String paid = Pdfs.read(s.api.getFile("/v1/invoices/" + id + "/pdf").body()).text();
        java.time.Instant paidAt = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT paid_at FROM invoices WHERE id = :id")
                .bind("id", id).mapTo(java.time.OffsetDateTime.class).one()).toInstant();
        assertThat(paid).contains("Paid on " + paidAt.atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalDate() + " · Reference SEPA-2026-0042",
                "Paid -49.00 EUR",
                "Amount due 0.00 EUR");

        // the HTML comes from the same template
        var html = s.api.getFile("/v1/invoices/" + id + "/html");
        assertThat(html.header("content-type")).startsWith("text/html");
        assertThat(html.text()).contains(inv.get("number").asText(), "Friedrichstraße 123", "Rivoli Consulting SARL");
    }

    @Test
    void threeHundredLinesLongNamesAndCyrillicGreekDevanagariAllReachThePdf() throws Exception {
        Sandbox s = sandboxWithSeller("long invoice");
        String longName = "Общество с ограниченной ответственностью «Очень Длинное Название Компании» "
                + "Ελληνική Εταιρεία Τηλεπικοινωνιών Α.Ε. भारतीय दूरसंचार निगम लिमिटेड " + "X".repeat(40);
        assertThat(longName.length()).isBetween(180, 200);
        String c = customer(s, longName, 30);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        var node = TestNode.get().accrue().services();
        var customer = node.customers().get(Caller.system(s.tenant.id()), c);
        List<InvoiceLine> lines = new ArrayList<>();
        String[] words = {"Звонки в Москву", "Κλήσεις προς Αθήνα", "मुंबई को कॉल", "Calls to Lisbon"};
        Money expected = Money.zero("EUR");
        for (int i = 1; i <= 300; i++) {
            BigDecimal seconds = BigDecimal.valueOf(60L * i);
            Money unit = Money.of("0.0125", "EUR");
            Money amount = unit.times(seconds).rounded(java.math.RoundingMode.HALF_UP);
            expected = expected.plus(amount);
            lines.add(new InvoiceLine(InvoiceLine.USAGE, "calls", "Line %03d %s".formatted(i, words[i % 4]),
                    Period.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1)), seconds, unit, amount));
        }
        var issued = node.tx().inTransaction(() -> node.billing().issue(s.tenant.id(), customer, sub, "three-hundred", LocalDate.of(2026, 3, 31),
                Period.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1)), lines));

        Pdfs.Read read = Pdfs.read(s.api.getFile("/v1/invoices/" + issued.id() + "/pdf").body());
        assertThat(read.pages()).isGreaterThan(5);
        assertThat(read.allEmbedded()).isTrue();
        assertThat(read.fonts()).anyMatch(f -> f.contains("NotoSansDevanagari")).anyMatch(f -> f.contains("NotoSans-"));
        String compact = read.compact();
        for (int i = 1; i <= 300; i++) {
            assertThat(compact).contains(("Line %03d " + words[i % 4]).formatted(i).replace(" ", ""));
        }
        // Cyrillic, Greek and Latin come back exactly; Devanagari is shaped (PDFBox's GSUB reorders vowel signs and
        // forms conjuncts), so its extracted text is in visual order: check the words whose glyphs map back one to one
        assertThat(compact).contains("Обществосограниченнойответственностью«ОченьДлинноеНазваниеКомпании»ΕλληνικήΕταιρείαΤηλεπικοινωνιώνΑ.Ε.भारतीय",
                "लिमटेड" + "X".repeat(40));
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "documents"));
        java.nio.file.Files.write(java.nio.file.Path.of("target", "documents", "invoice-300-lines.pdf"),
                s.api.getFile("/v1/invoices/" + issued.id() + "/pdf").body());
        assertThat(read.text()).contains("Total " + expected.toPlainMinorString() + " EUR", "Page " + read.pages() + " of " + read.pages());
        // the column header repeats on every page that carries lines
        assertThat(read.pageTexts()).filteredOn(t -> t.contains("Line ")).hasSizeGreaterThan(5)
                .allMatch(t -> t.contains("Description Quantity Unit price Amount"));
    }

    @Test
    void proformaReceiptAndStatementEachHaveTheirPdf() {
        Sandbox s = sandboxWithSeller("other documents");
        String c = customer(s, "Proforma Kunde AG", 7);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "proforma")).get("id").asText();
        JsonNode proforma = firstInvoice(s, sub);
        assertThat(proforma.get("status").asText()).isEqualTo("proforma");
        String pt = Pdfs.read(s.api.getFile("/v1/invoices/" + proforma.get("id").asText() + "/pdf").body()).text();
        assertThat(pt).contains("Proforma invoice", proforma.get("number").asText(), "Proforma plan fee", "120.00", "Amount due 120.00 EUR",
                "not a tax invoice");
        // a proforma is not an invoice: no e-invoice for it
        assertThat(s.api.get("/v1/invoices/" + proforma.get("id").asText() + "/cii").code()).isEqualTo("not_an_invoice");

        Map<String, Object> prepaid = Fixtures.customer("Prepaid Kunde");
        prepaid.put("currency", "EUR");
        prepaid.put("time_zone", "UTC");
        prepaid.remove("alignment");
        prepaid.put("account_type", "prepaid");
        prepaid.put("test_clock_id", s.clockId);
        String p = s.api.post("/v1/customers", prepaid).text("id");
        assertThat(s.api.patch("/v1/tenant", Map.of("tax_rate", "0.19")).status()).isEqualTo(200);
        var receipt = s.api.post("/v1/customers/" + p + "/wallet/top_ups", Map.of("amount", "50.00", "currency", "EUR"));
        String rt = Pdfs.read(s.api.getFile("/v1/receipts/" + receipt.text("id") + "/pdf").body()).text();
        assertThat(rt).contains("Receipt", receipt.text("number"), "Accrue Telecom GmbH", "Prepaid Kunde", "Credit added to your prepaid balance",
                "Subtotal 50.00 EUR", "VAT 19 % 9.50 EUR", "Total paid 59.50 EUR", "New prepaid balance 50.00 EUR", "VAT 19 % 50.00 9.50");

        String st = Pdfs.read(s.api.getFile("/v1/customers/" + p + "/wallet/statements/2026-03/pdf").body()).text();
        assertThat(st).contains("Statement", "STM-2026-03-" + p, "Prepaid Kunde", "Top-up", "Opening balance 0.00 EUR", "Closing balance 50.00 EUR",
                "Period 2026-03-01 – 2026-03-31");
        assertThat(s.api.getFile("/v1/customers/" + p + "/wallet/statements/2026-13/pdf").status()).isEqualTo(400);
        assertThat(s.api.getFile("/v1/receipts/rct_nope/pdf").status()).isEqualTo(404);
        // both as HTML too, from the same template
        var receiptHtml = s.api.getFile("/v1/receipts/" + receipt.text("id") + "/html");
        assertThat(receiptHtml.status()).isEqualTo(200);
        assertThat(receiptHtml.header("content-type")).startsWith("text/html");
        assertThat(receiptHtml.text()).contains(receipt.text("number"), "Prepaid Kunde", "59.50");
        var statementHtml = s.api.getFile("/v1/customers/" + p + "/wallet/statements/2026-03/html");
        assertThat(statementHtml.status()).isEqualTo(200);
        assertThat(statementHtml.text()).contains("STM-2026-03-" + p, "Opening balance", "50.00");
        assertThat(s.api.getFile("/v1/receipts/rct_nope/html").status()).isEqualTo(404);
    }

    @Test
    void theHostedPageOpensWithoutAKeyAtAnUnguessableLink() {
        Sandbox s = sandboxWithSeller("hosted");
        String c = customer(s, "Hosted Client SAS", 0);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        JsonNode inv = firstInvoice(s, sub);
        var link = s.api.post("/v1/invoices/" + inv.get("id").asText() + "/hosted_link", Map.of());
        assertThat(link.status()).as(link.toString()).isEqualTo(200);
        String url = link.text("url");
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/hosted/[A-Za-z0-9_-]{43}");
        assertThat(s.api.post("/v1/invoices/" + inv.get("id").asText() + "/hosted_link", Map.of()).text("url")).isEqualTo(url);
        String path = url.substring(url.indexOf("/hosted/"));
        Api anonymous = s.api.anonymous();
        var page = anonymous.getFile(path);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains(inv.get("number").asText(), "Hosted Client SAS", "Download PDF", path + "/pdf");
        var pdf = anonymous.getFile(path + "/pdf");
        assertThat(pdf.header("content-type")).startsWith("application/pdf");
        assertThat(Pdfs.read(pdf.body()).text()).contains(inv.get("number").asText());
        // a guessed or altered token finds nothing, and the API itself still needs a key
        assertThat(anonymous.getFile("/hosted/" + "A".repeat(43)).status()).isEqualTo(404);
        assertThat(anonymous.getFile(path.substring(0, path.length() - 1) + (path.endsWith("A") ? "B" : "A")).status()).isEqualTo(404);
        assertThat(anonymous.getFile("/v1/invoices/" + inv.get("id").asText() + "/pdf").status()).isEqualTo(401);
        // another tenant cannot make a link to this invoice
        assertThat(TestNode.get().newTenant("other").api().post("/v1/invoices/" + inv.get("id").asText() + "/hosted_link", Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void eInvoicesAreValidEn16931() throws Exception {
        Sandbox s = sandboxWithSeller("e-invoice");
        String c = customer(s, "E-Rechnung Empfänger GmbH", 14);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        JsonNode inv = firstInvoice(s, sub);
        String id = inv.get("id").asText();
        String number = inv.get("number").asText();

        var cii = s.api.getFile("/v1/invoices/" + id + "/cii");
        assertThat(cii.header("content-type")).startsWith("application/xml");
        assertThat(cii.text()).contains("urn:cen.eu:en16931:2017", "<ram:ID>" + number + "</ram:ID>", "DE123456789", "E-Rechnung Empfänger GmbH",
                "<ram:DuePayableAmount>49.00</ram:DuePayableAmount>", "DE89370400440532013000");
        assertValid(cii.body(), "cii.xml");

        var ubl = s.api.getFile("/v1/invoices/" + id + "/ubl");
        assertThat(ubl.text()).contains("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "<cbc:ID>" + number + "</cbc:ID>",
                "<cbc:PayableAmount currencyID=\"EUR\">49</cbc:PayableAmount>");
        assertValid(ubl.body(), "ubl.xml");

        var facturX = s.api.getFile("/v1/invoices/" + id + "/facturx");
        assertThat(facturX.header("content-type")).startsWith("application/pdf");
        assertThat(Pdfs.read(facturX.body()).text()).contains(number, "Accrue Telecom GmbH", "Amount due 49.00 EUR");
        assertValid(facturX.body(), "invoice.pdf");

        // a draft or unknown invoice has no e-invoice
        assertThat(s.api.get("/v1/invoices/inv_nope/ubl").status()).isEqualTo(404);
    }

    private static void assertValid(byte[] file, String name) {
        ZUGFeRDValidator validator = new ZUGFeRDValidator();
        String report = validator.validate(file, name);
        assertThat(validator.wasCompletelyValid()).as(report).isTrue();
    }

    @Test
    void theSellerIsValidatedWholeAndBadInputChangesNothing() {
        Sandbox s = sandboxWithSeller("seller rules");
        JsonNode before = s.api.get("/v1/seller").json();
        assertThat(before.get("legal_name").asText()).isEqualTo("Accrue Telecom GmbH");
        assertThat(before.get("iban").asText()).isEqualTo("DE89370400440532013000");
        Map<String, String> bad = Map.of("vat_id", "DE12345", "iban", "DE89370400440532013001", "brand_color", "green", "country", "XX",
                "bic", "COBA", "email", "nobody", "logo", "aGVsbG8=");
        for (var e : bad.entrySet()) {
            Map<String, Object> body = seller();
            body.put(e.getKey(), e.getValue());
            var r = s.api.send("PUT", "/v1/seller", body);
            assertThat(r.status()).as(e + " " + r).isEqualTo(400);
            assertThat(r.text("field")).isEqualTo(e.getKey().equals("logo") ? "logo" : e.getKey());
        }
        Map<String, Object> wrongPrefix = seller();
        wrongPrefix.put("vat_id", "FR40303265045");
        assertThat(s.api.send("PUT", "/v1/seller", wrongPrefix).text("detail")).contains("must start with the country's prefix DE");
        Map<String, Object> noAddress = seller();
        noAddress.remove("city");
        noAddress.put("email_invoices", true);
        assertThat(s.api.send("PUT", "/v1/seller", noAddress).text("field")).isEqualTo("email_invoices");
        Map<String, Object> noName = seller();
        noName.remove("legal_name");
        assertThat(s.api.send("PUT", "/v1/seller", noName).text("field")).isEqualTo("legal_name");
        assertThat(s.api.get("/v1/seller").json()).isEqualTo(before);
        assertThat(s.tenant.readOnlyApi().send("PUT", "/v1/seller", seller()).status()).isEqualTo(403);
        // the change is audited
        JsonNode audit = s.api.get("/v1/audit_events?object_id=" + s.tenant.id()).json().get("data");
        assertThat(audit.toString()).contains("seller.updated");
    }

    @Test
    void invoicesAndLinesExportAsCsvAndJson() {
        Sandbox s = sandboxWithSeller("exports");
        String c = customer(s, "Export, \"Quoted\" Client", 14);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        JsonNode inv = firstInvoice(s, sub);
        String number = inv.get("number").asText();
        JsonNode json = s.api.get("/v1/exports/invoices?from=2026-03-01&to=2026-04-01").json();
        assertThat(json.get("data")).hasSize(1);
        JsonNode row = json.get("data").get(0);
        assertThat(row.get("number").asText()).isEqualTo(number);
        assertThat(row.get("total").asText()).isEqualTo("49.00");
        assertThat(row.get("customer_name").asText()).isEqualTo("Export, \"Quoted\" Client");
        assertThat(s.api.get("/v1/exports/invoices?from=2026-04-01&to=2026-05-01").json().get("data")).isEmpty();

        var csv = s.api.getFile("/v1/exports/invoices?from=2026-03-01&to=2026-04-01&format=csv");
        assertThat(csv.header("content-type")).startsWith("text/csv");
        List<String> rows = csv.text().lines().toList();
        assertThat(rows.get(0)).startsWith("invoice_id,number,status,customer_id,customer_name,");
        assertThat(rows.get(1)).contains(number, "\"Export, \"\"Quoted\"\" Client\"", "49.00");
        var lines = s.api.getFile("/v1/exports/invoice_lines?from=2026-03-01&to=2026-04-01&format=csv").text().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("invoice_id,invoice_number,line_number,kind,charge_code,description,");
        assertThat(lines.get(1)).contains(number, ",1,recurring,base,", "49.00,EUR");
        assertThat(s.api.get("/v1/exports/invoice_lines?from=2026-03-01&to=2026-04-01").json().get("data").get(0).get("amount").asText())
                .isEqualTo("49.00");

        assertThat(s.api.get("/v1/exports/invoices?from=2026-04-01&to=2026-03-01").code()).isEqualTo("invalid_period");
        assertThat(s.api.get("/v1/exports/invoices?from=2026-01-01&to=2027-06-01").code()).isEqualTo("invalid_period");
        assertThat(s.api.get("/v1/exports/invoices?from=2026-01-01").code()).isEqualTo("missing_field");
        assertThat(s.api.get("/v1/exports/invoices?from=2026-03-01&to=2026-04-01&format=xls").code()).isEqualTo("validation_failed");
    }
}

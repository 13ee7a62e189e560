package dev.accrue.server.document;

import dev.accrue.server.support.Unique;
import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Mails;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.mustangproject.validator.ZUGFeRDValidator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 points 5 and 6 for credit notes, on the real server: a tax-exclusive invoice with a 19 % line and an exempt
 * line is credited partly (part of its 19 % line) and then wholly (the rest, over both rates); the two give back exactly
 * what the customer was charged with tax, rate by rate. Each credit note's PDF is read back with PDFBox (number, the
 * invoice it corrects and its date, reason, lines at their net, the tax of each rate on top, total, resolution), its CII (381, BT-25), UBL CreditNote and Factur-X pass Mustang's validator,
 * the customer receives it by email with the PDF attached and a hosted link, and an unknown or another tenant's
 * credit note is 404.
 */
class CreditNoteDocumentTest {

    private static void assertValid(byte[] file, String name) {
        ZUGFeRDValidator validator = new ZUGFeRDValidator();
        String report = validator.validate(file, name);
        assertThat(validator.wasCompletelyValid()).as(report).isTrue();
    }

    private static JsonNode credit(Sandbox s, String invoiceId, Map<String, Object> body) {
        var r = s.api.post("/v1/invoices/" + invoiceId + "/credit_notes", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private static String flat(String xml) {
        return xml.replaceAll(">\\s+<", "><");
    }

    @Test
    void partAndWholeCreditNotesAreDocumentsEInvoicesAndEmails() throws Exception {
        Sandbox s = new Sandbox("credit note documents", EInvoiceVatCategoriesTest.CATALOG, "2026-03-01T09:00:00Z");
        Map<String, Object> seller = DocumentTest.seller();
        seller.put("email_invoices", true);
        var put = s.api.send("PUT", "/v1/seller", seller);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "DE", "prices", "tax_exclusive")).status()).isEqualTo(200);
        String to = "cn-" + Unique.suffix() + "@client.example";
        Map<String, Object> body = Fixtures.customer("Gutschrift Kunde GmbH");
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        body.put("tax_status", "taxable");
        body.put("billing_emails", List.of(to));
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "Hauptstraße 5", "city", "München", "postal_code", "80331", "country", "DE")));
        var created = s.api.post("/v1/customers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String customer = created.text("id");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "mixed")).get("id").asText();
        JsonNode invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0);
        String invoiceId = invoice.get("id").asText();
        String invoiceNumber = invoice.get("number").asText();
        String invoiceDate = invoice.get("issue_date").asText();
        // 49.00 at 19 % (tax 9.31) and 10.00 exempt: 68.31
        assertThat(invoice.get("total").asText()).isEqualTo("68.31");
        String line1 = invoice.at("/lines/0/description").asText();
        assertThat(line1).contains("Mixed plan");

        // ---- partly: 20.00 of line 1 (49.00 net, charged 58.31 with its 9.31 of tax) ----
        JsonNode part = credit(s, invoiceId, Map.of("reason", "Service outage in March", "lines", List.of(Map.of("line", 1, "amount", "20.00"))));
        String partId = part.get("id").asText();
        String partNumber = part.get("number").asText();
        assertThat(part.get("total").asText()).isEqualTo("20.00");
        var pdf = s.api.getFile("/v1/credit_notes/" + partId + "/pdf");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.header("content-type")).startsWith("application/pdf");
        Pdfs.Read read = Pdfs.read(pdf.body());
        assertThat(read.allEmbedded()).isTrue();
        // of the line's 58.31, 20.00 is 20.00 × 9.31 / 58.31 = 3.19 of tax and 16.81 net; shown as the invoice was: net lines, tax on top
        assertThat(read.text()).contains("Credit note", partNumber, "Accrue Telecom GmbH", "DE123456789", "Gutschrift Kunde GmbH", customer,
                "Corrects invoice " + invoiceNumber + " of " + invoiceDate, "Reason: Service outage in March",
                "Subtotal 16.81 EUR", "VAT 19 % 3.19 EUR", "Total credited 20.00 EUR", "VAT (S) 19 % 16.81 3.19 20.00",
                "Credited to the customer's credit balance", "added to your credit balance")
                .doesNotContain("Pay by bank transfer", "Exempt", "included");
        // part of a line: quantity 1 at the credited net
        assertThat(read.compact()).contains(("Credit of line 1: " + line1).replaceAll("\\s+", "") + "116.8116.81");
        var html = s.api.getFile("/v1/credit_notes/" + partId + "/html");
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.text()).contains(partNumber, invoiceNumber, "Service outage in March", "20.00");

        var cii = s.api.getFile("/v1/credit_notes/" + partId + "/cii");
        assertThat(cii.status()).as(cii.text()).isEqualTo(200);
        assertValid(cii.body(), "cii.xml");
        assertThat(flat(cii.text())).contains("<ram:TypeCode>381</ram:TypeCode>", "<ram:ID>" + partNumber + "</ram:ID>",
                "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>" + invoiceNumber + "</ram:IssuerAssignedID>",
                "<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19.00</ram:RateApplicablePercent>",
                "<ram:BasisAmount>16.81</ram:BasisAmount>", "<ram:CalculatedAmount>3.19</ram:CalculatedAmount>",
                "<ram:GrandTotalAmount>20.00</ram:GrandTotalAmount>");
        var ubl = s.api.getFile("/v1/credit_notes/" + partId + "/ubl");
        assertThat(ubl.status()).as(ubl.text()).isEqualTo(200);
        assertValid(ubl.body(), "ubl.xml");
        assertThat(flat(ubl.text())).contains("<CreditNote", "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>" + invoiceNumber + "</cbc:ID>");
        var facturX = s.api.getFile("/v1/credit_notes/" + partId + "/facturx");
        assertThat(facturX.status()).isEqualTo(200);
        assertValid(facturX.body(), "facturx.pdf");

        // ---- wholly: the rest (48.31), over the invoice's two rates: what each has left, net and tax ----
        JsonNode rest = credit(s, invoiceId, Map.of("reason", "Contract cancelled"));
        String restId = rest.get("id").asText();
        String restNumber = rest.get("number").asText();
        assertThat(rest.get("total").asText()).isEqualTo("48.31");
        Pdfs.Read restPdf = Pdfs.read(s.api.getFile("/v1/credit_notes/" + restId + "/pdf").body());
        // 19 %: 49.00 − 16.81 = 32.19 net and 9.31 − 3.19 = 6.12 of tax; exempt: 10.00 — with the first note, exactly the invoice
        assertThat(restPdf.text()).contains(restNumber, "Corrects invoice " + invoiceNumber, "Reason: Contract cancelled",
                "Credit of invoice " + invoiceNumber + " (VAT 19 %)", "Credit of invoice " + invoiceNumber + " (VAT 0 %)", "Subtotal 42.19 EUR",
                "VAT 19 % 6.12 EUR", "Total credited 48.31 EUR", "VAT (S) 19 % 32.19 6.12 38.31", "VAT (E) 0 % 10.00 0.00 10.00");
        var restCii = s.api.getFile("/v1/credit_notes/" + restId + "/cii");
        assertThat(restCii.status()).as(restCii.text()).isEqualTo(200);
        assertValid(restCii.body(), "cii.xml");
        assertThat(flat(restCii.text())).contains("<ram:TypeCode>381</ram:TypeCode>", "<ram:CategoryCode>E</ram:CategoryCode>",
                "<ram:BasisAmount>32.19</ram:BasisAmount>", "<ram:CalculatedAmount>6.12</ram:CalculatedAmount>",
                "<ram:GrandTotalAmount>48.31</ram:GrandTotalAmount>");
        assertValid(s.api.getFile("/v1/credit_notes/" + restId + "/ubl").body(), "ubl.xml");
        // the customer got back all 68.31 they were charged
        assertThat(s.api.get("/v1/customers/" + customer + "/credit").text("balance")).isEqualTo("68.31");
        // nothing left to credit: refused, and no third document
        assertThat(s.api.post("/v1/invoices/" + invoiceId + "/credit_notes", Map.of("reason", "again")).code()).isEqualTo("credit_exceeds_remaining");

        // ---- email: queued by each note's transaction, sent by the outbox with the PDF and the hosted link ----
        JsonNode queued = s.api.get("/v1/emails?object_id=" + partId).json().get("data");
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0).get("template").asText()).isEqualTo("credit_note");
        TestNode.get().accrue().mail().dispatch(100);
        List<MimeMessage> mails = Mails.to(to).stream().filter(m -> subject(m).startsWith("Credit note")).toList();
        assertThat(mails).extracting(CreditNoteDocumentTest::subject).containsExactlyInAnyOrder(
                "Credit note " + partNumber + " from Accrue Telecom GmbH: 20.00 EUR credited on invoice " + invoiceNumber,
                "Credit note " + restNumber + " from Accrue Telecom GmbH: 48.31 EUR credited on invoice " + invoiceNumber);
        MimeMessage m = mails.stream().filter(x -> subject(x).contains(partNumber)).findFirst().orElseThrow();
        assertThat(Mails.text(m)).contains(partNumber, "Reason: Service outage in March", "Total credited: 20.00 EUR", "/hosted/");
        assertThat(Mails.html(m)).contains("<strong>20.00 EUR</strong>", invoiceNumber, "/hosted/");
        var attachments = Mails.attachments(m);
        assertThat(attachments).extracting(Mails.Attachment::filename).containsExactly(partNumber + ".pdf");
        try (var attached = Loader.loadPDF(attachments.getFirst().content())) {
            assertThat(new PDFTextStripper().getText(attached)).contains(partNumber, invoiceNumber, "Total credited 20.00 EUR");
            assertThat(attached.getDocumentCatalog().getNames().getEmbeddedFiles().getNames()).containsKey("factur-x.xml");
        }
        String text = Mails.text(m);
        String link = text.substring(text.indexOf("http://")).lines().findFirst().orElseThrow().strip();
        var page = s.api.anonymous().getFile(link.substring(link.indexOf("/hosted/")));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains(partNumber, "20.00 EUR credited");

        // the hosted link by API, the same every time
        var hosted = s.api.post("/v1/credit_notes/" + partId + "/hosted_link", Map.of());
        assertThat(hosted.status()).isEqualTo(200);
        assertThat(s.api.post("/v1/credit_notes/" + partId + "/hosted_link", Map.of()).text("url")).isEqualTo(hosted.text("url"));

        // ---- unknown and another tenant's: 404 ----
        assertThat(s.api.getFile("/v1/credit_notes/cn_unknown/pdf").status()).isEqualTo(404);
        Sandbox other = new Sandbox("credit note other tenant", EInvoiceVatCategoriesTest.CATALOG, "2026-03-01T09:00:00Z");
        assertThat(other.api.getFile("/v1/credit_notes/" + partId + "/pdf").status()).isEqualTo(404);
        assertThat(other.api.getFile("/v1/credit_notes/" + partId + "/html").status()).isEqualTo(404);
        assertThat(other.api.getFile("/v1/credit_notes/" + partId + "/cii").status()).isEqualTo(404);
        assertThat(other.api.post("/v1/credit_notes/" + partId + "/hosted_link", Map.of()).status()).isEqualTo(404);

        // a seller that does not email invoices does not email credit notes either: the note is written, no email row
        String quiet = other.customer("Quiet Customer", "EUR", "UTC");
        String quietSub = other.subscribe(Map.of("customer_id", quiet, "plan", "pro")).get("id").asText();
        String quietInvoice = other.api.get("/v1/invoices?subscription_id=" + quietSub).json().at("/data/0/id").asText();
        var quietNote = other.api.post("/v1/invoices/" + quietInvoice + "/credit_notes", Map.of("reason", "Goodwill"));
        assertThat(quietNote.status()).as(quietNote.toString()).isEqualTo(201);
        assertThat(other.api.get("/v1/emails?object_id=" + quietNote.text("id")).json().get("data")).isEmpty();
        assertThat(other.api.getFile("/v1/credit_notes/" + quietNote.text("id") + "/pdf").status()).isEqualTo(200);
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}

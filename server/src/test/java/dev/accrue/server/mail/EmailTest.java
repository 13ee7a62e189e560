package dev.accrue.server.mail;

import dev.accrue.server.support.Unique;
import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.adapters.mail.EmlFileTransport;
import dev.accrue.adapters.mail.SmtpMailTransport;
import dev.accrue.app.mail.MailDispatcher;
import dev.accrue.app.mail.RetrySchedule;
import dev.accrue.app.mail.MailMessage;
import dev.accrue.app.mail.MailTransport;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Mails;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.pdfbox.Loader;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Document emails through the outbox: rendered parts, PDF attached, hosted link, delivery log, resend, backoff, .eml files. */
class EmailTest {
    static final String CATALOG = """
            name: mail
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
            """;

    static Map<String, Object> seller(boolean emailInvoices) {
        Map<String, Object> s = new HashMap<>();
        s.put("legal_name", "Mailing Seller BV");
        s.put("address_line1", "Keizersgracht 1");
        s.put("city", "Amsterdam");
        s.put("postal_code", "1015 CJ");
        s.put("country", "NL");
        s.put("vat_id", "NL123456789B01");
        s.put("iban", "NL91ABNA0417164300");
        s.put("email_invoices", emailInvoices);
        return s;
    }

    static String customer(Sandbox s, String email, String accountType) {
        Map<String, Object> body = Fixtures.customer("Mail Client " + email);
        body.put("billing_emails", List.of(email));
        body.put("currency", "EUR");
        body.put("time_zone", "Europe/Amsterdam");
        body.put("account_type", accountType);
        if (accountType.equals("prepaid")) {
            body.remove("alignment");
        }
        body.put("test_clock_id", s.clockId);
        var r = s.api.post("/v1/customers", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }

    static String unique(String local) {
        // base 36: a run of decimal digits could pass the Luhn check and be refused as a card number (raw_card_number_refused)
        return local + "-" + Unique.suffix() + "@client.example";
    }

    @Test
    void aFinalizedInvoiceIsEmailedAfterCommitWithPartsTheFacturXPdfAndItsHostedLink() throws Exception {
        Sandbox s = new Sandbox("invoice mail", CATALOG, "2026-05-01T08:00:00Z");
        var put = s.api.send("PUT", "/v1/seller", seller(true));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        String to = unique("ap");
        String c = customer(s, to, "postpaid");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        JsonNode invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0);
        String number = invoice.get("number").asText();

        // the finalizing transaction wrote the email; it is rendered and sent only by the dispatcher
        JsonNode queued = s.api.get("/v1/emails?object_id=" + invoice.get("id").asText()).json().get("data");
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0).get("status").asText()).isEqualTo("queued");
        assertThat(queued.get(0).get("template").asText()).isEqualTo("invoice");
        assertThat(queued.get(0).get("subject").isNull()).isTrue();
        assertThat(Mails.to(to)).isEmpty();
        TestNode.get().accrue().mail().dispatch(100);

        List<MimeMessage> received = Mails.to(to);
        assertThat(received).hasSize(1);
        MimeMessage m = received.getFirst();
        assertThat(m.getSubject()).isEqualTo("Invoice " + number + " from Mailing Seller BV: 49.00 EUR due by " + invoice.get("due_date").asText());
        assertThat(m.getFrom()[0].toString()).isEqualTo("billing@accrue.test");
        String text = Mails.text(m);
        String html = Mails.html(m);
        assertThat(text).contains("Invoice " + number + " from Mailing Seller BV", "Amount due: 49.00 EUR", "/hosted/");
        assertThat(html).contains("<strong>49.00 EUR</strong>", "/hosted/");
        String link = text.substring(text.indexOf("http://")).lines().findFirst().orElseThrow().strip();
        assertThat(html).contains(link);
        var attachments = Mails.attachments(m);
        assertThat(attachments).extracting(Mails.Attachment::filename).containsExactly(number + ".pdf");
        assertThat(attachments.getFirst().contentType()).startsWith("application/pdf");
        try (var pdf = Loader.loadPDF(attachments.getFirst().content())) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(pdf)).contains(number, "Mailing Seller BV", "Amount due 49.00 EUR");
            // a Factur-X invoice: the CII XML travels inside the PDF
            assertThat(pdf.getDocumentCatalog().getNames().getEmbeddedFiles().getNames()).containsKey("factur-x.xml");
        }
        // the link opens the hosted page without a key
        var page = s.api.anonymous().getFile(link.substring(link.indexOf("/hosted/")));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains(number);

        // the outbox shows what was sent, with its delivery log
        String emailId = queued.get(0).get("id").asText();
        JsonNode sent = s.api.get("/v1/emails/" + emailId).json();
        assertThat(sent.get("status").asText()).isEqualTo("sent");
        assertThat(sent.get("subject").asText()).isEqualTo(m.getSubject());
        assertThat(sent.get("attachments").get(0).asText()).isEqualTo(number + ".pdf");
        assertThat(sent.get("delivery_log")).hasSize(1);
        assertThat(sent.at("/delivery_log/0/outcome").asText()).isEqualTo("sent");
        assertThat(m.getHeader("Message-ID")[0]).isEqualTo("<" + emailId + "@accrue>");

        // resend: a new message rendered afresh (the invoice is paid by now), to another address too
        assertThat(s.api.post("/v1/invoices/" + invoice.get("id").asText() + "/mark_paid", Map.of()).status()).isEqualTo(200);
        String other = unique("cfo");
        var resent = s.api.post("/v1/emails/" + emailId + "/resend", Map.of("to", List.of(other)));
        assertThat(resent.status()).as(resent.toString()).isEqualTo(201);
        assertThat(resent.text("resend_of")).isEqualTo(emailId);
        assertThat(s.api.post("/v1/emails/" + emailId + "/resend", Map.of("to", List.of("not-an-address"))).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/emails/eml_nope/resend", Map.of()).status()).isEqualTo(404);
        TestNode.get().accrue().mail().dispatch(100);
        assertThat(Mails.to(to)).hasSize(1);
        assertThat(Mails.to(other)).hasSize(1);
        assertThat(Mails.text(Mails.to(other).getFirst())).contains("Amount due: 0.00 EUR", "Paid on ");
        assertThat(s.api.get("/v1/emails?object_id=" + invoice.get("id").asText()).json().get("data")).hasSize(2);
    }

    @Test
    void noInvoiceEmailUnlessTheSellerAskedForIt() {
        Sandbox s = new Sandbox("quiet seller", CATALOG, "2026-05-01T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/seller", seller(false)).status()).isEqualTo(200);
        String c = customer(s, unique("quiet"), "postpaid");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        String invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0).get("id").asText();
        assertThat(s.api.get("/v1/emails?object_id=" + invoice).json().get("data")).isEmpty();
    }

    /** A clock the test moves by hand, for the dispatcher's retry schedule. */
    static final class HandClock extends Clock {
        volatile Instant now = Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // whole seconds: stored times keep microseconds

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aRefusedEmailIsRetriedWithExponentialBackoffOverHoursAndEveryAttemptIsLogged() {
        Sandbox s = new Sandbox("bounce", CATALOG, "2026-05-01T08:00:00Z");
        String bounce = unique("bounce");
        String c = customer(s, bounce, "prepaid");
        String receipt = s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "20.00", "currency", "EUR")).text("id");
        String emailId = s.api.get("/v1/emails?object_id=" + receipt).json().at("/data/0/id").asText();

        Services services = TestNode.get().accrue().services();
        MailTransport smtp = new SmtpMailTransport("127.0.0.1", TestNode.get().smtp().getSmtp().getPort(), "billing@accrue.test", null, null, false);
        MailTransport refusing = m -> {
            if (m.to().contains(bounce)) {
                throw new jakarta.mail.MessagingException("550 5.1.1 mailbox unavailable");
            }
            smtp.send(m);
        };
        HandClock clock = new HandClock();
        MailDispatcher dispatcher = new MailDispatcher(services.tx(), services.outbox(), refusing, services.mailComposer(), clock);
        List<Instant> attemptsAt = new ArrayList<>();
        for (int attempt = 1; attempt <= RetrySchedule.MAX_ATTEMPTS; attempt++) {
            dispatcher.dispatch(100);
            attemptsAt.add(clock.now);
            JsonNode e = s.api.get("/v1/emails/" + emailId).json();
            assertThat(e.get("attempts").asInt()).isEqualTo(attempt);
            assertThat(e.get("last_error").asText()).contains("550 5.1.1 mailbox unavailable");
            if (attempt < RetrySchedule.MAX_ATTEMPTS) {
                assertThat(e.get("status").asText()).isEqualTo("queued");
                Instant next = Instant.parse(e.get("next_attempt_at").asText());
                // not tried again before its time
                clock.now = next.minusSeconds(1);
                dispatcher.dispatch(100);
                assertThat(s.api.get("/v1/emails/" + emailId).json().get("attempts").asInt()).isEqualTo(attempt);
                clock.now = next;
            } else {
                assertThat(e.get("status").asText()).isEqualTo("failed");
                assertThat(e.get("next_attempt_at").isNull()).isTrue();
                assertThat(e.get("delivery_log")).hasSize(RetrySchedule.MAX_ATTEMPTS);
                e.get("delivery_log").forEach(a -> assertThat(a.get("outcome").asText()).isEqualTo("failed"));
            }
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < attemptsAt.size(); i++) {
            gaps.add(Duration.between(attemptsAt.get(i - 1), attemptsAt.get(i)).toMinutes());
        }
        assertThat(gaps).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 240L, 240L, 240L, 240L, 240L, 240L);
        assertThat(Duration.between(attemptsAt.getFirst(), attemptsAt.getLast())).isGreaterThan(Duration.ofHours(24));
        // given up: a later pass leaves it alone; a resend starts afresh
        clock.now = clock.now.plus(Duration.ofDays(1));
        dispatcher.dispatch(100);
        assertThat(s.api.get("/v1/emails/" + emailId).json().get("attempts").asInt()).isEqualTo(RetrySchedule.MAX_ATTEMPTS);
        assertThat(Mails.to(bounce)).isEmpty();
    }

    @Test
    void withoutAnSmtpServerMessagesLandAsEmlFilesUnderTheDataDirectory() throws Exception {
        Sandbox s = new Sandbox("eml", CATALOG, "2026-05-01T08:00:00Z");
        String to = unique("eml");
        String c = customer(s, to, "prepaid");
        var receipt = s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "15.00", "currency", "EUR"));
        String emailId = s.api.get("/v1/emails?object_id=" + receipt.text("id")).json().at("/data/0/id").asText();
        Path dir = TestNode.get().dataDir().resolve("mail");
        Services services = TestNode.get().accrue().services();
        new MailDispatcher(services.tx(), services.outbox(), new EmlFileTransport(dir, "billing@accrue.test"), services.mailComposer(),
                Clock.systemUTC()).dispatch(100);
        Path file = dir.resolve(emailId + ".eml");
        assertThat(file).exists();
        MimeMessage m;
        try (InputStream in = Files.newInputStream(file)) {
            m = new MimeMessage(Session.getInstance(new Properties()), in);
            assertThat(m.getSubject()).isEqualTo("Receipt " + receipt.text("number") + ": 15.00 EUR added to your balance");
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo(to);
            assertThat(Mails.text(m)).contains("Credit added to your prepaid balance: 15.00 EUR");
            assertThat(Mails.attachmentNames(m)).containsExactly(receipt.text("number") + ".pdf");
        }
        assertThat(s.api.get("/v1/emails/" + emailId).json().get("status").asText()).isEqualTo("sent");
        assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".tmp")).toList()).isEmpty();
    }

    @Test
    void aMessageWithoutTemplateIsSentAsStored() throws Exception {
        MailMessage plain = new MailMessage("eml_plain" + Unique.suffix(), List.of(unique("plain")), "Plain", "Just text", null, List.of());
        new SmtpMailTransport("127.0.0.1", TestNode.get().smtp().getSmtp().getPort(), "billing@accrue.test", null, null, false).send(plain);
        MimeMessage m = Mails.to(plain.to().getFirst()).getFirst();
        assertThat(m.getContent().toString().strip()).isEqualTo("Just text");
        assertThat(Mails.attachments(m)).isEmpty();
    }
}

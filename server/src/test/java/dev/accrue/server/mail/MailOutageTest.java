package dev.accrue.server.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.accrue.adapters.mail.SmtpMailTransport;
import dev.accrue.app.mail.MailDispatcher;
import dev.accrue.app.mail.MailTransport;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mail server is down for most of a day, then back (issue 17 point 5): nothing is lost, every email is
 * delivered exactly once, failures are visible through the API meanwhile, and the SMTP conversation never
 * happens inside a database transaction.
 */
class MailOutageTest {
    private final Services services = TestNode.get().accrue().services();

    @Test
    void aDayLongOutageDeliversEveryEmailOnceWhenTheServerIsBack() throws Exception {
        Sandbox s = new Sandbox("mail outage", EmailTest.CATALOG, "2026-05-01T08:00:00Z");
        List<String> recipients = new ArrayList<>();
        List<String> receipts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String to = EmailTest.unique("outage" + i);
            recipients.add(to);
            Map<String, Object> body = Fixtures.customer("Outage Prepaid " + i);
            body.put("billing_emails", List.of(to));
            body.put("currency", "EUR");
            body.put("time_zone", "UTC");
            body.remove("alignment");
            body.put("account_type", "prepaid");
            String customer = s.api.post("/v1/customers", body).text("id");
            var topUp = s.api.post("/v1/customers/" + customer + "/wallet/top_ups", Map.of("amount", "30.00", "currency", "EUR"));
            assertThat(topUp.status()).as(topUp.body()).isEqualTo(201);
            receipts.add(topUp.text("id"));
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        AtomicInteger sendsInsideTransactions = new AtomicInteger();
        SmtpMailTransport real = new SmtpMailTransport("127.0.0.1", port, "billing@accrue.test", null, null, false);
        MailTransport watched = message -> {
            if (services.tx().inProgress()) {
                sendsInsideTransactions.incrementAndGet();
            }
            real.send(message);
        };
        MovableClock clock = new MovableClock(Instant.now());
        MailDispatcher dispatcher = new MailDispatcher(services.tx(), services.outbox(), watched, services.mailComposer(), clock);

        // down: every pass fails; 20 hours of passes every 10 minutes
        Instant outageEnds = clock.instant().plus(Duration.ofHours(20));
        while (clock.instant().isBefore(outageEnds)) {
            dispatcher.dispatch(100);
            clock.advance(Duration.ofMinutes(10));
        }
        for (String receipt : receipts) {
            JsonNode email = s.api.get("/v1/emails?object_id=" + receipt).json().at("/data/0");
            assertThat(email.path("status").asText()).isEqualTo("queued");
            assertThat(email.path("attempts").asInt()).isBetween(8, 14);
            assertThat(email.path("last_error").asText()).isNotBlank();
            JsonNode log = s.api.get("/v1/emails/" + email.path("id").asText()).json().path("delivery_log");
            assertThat(log).allSatisfy(a -> assertThat(a.path("outcome").asText()).isEqualTo("failed"));
        }

        smtp.start();
        try {
            clock.advance(Duration.ofHours(4)); // the longest wait between two attempts
            dispatcher.dispatch(100);
            for (int pass = 0; pass < 5; pass++) {
                clock.advance(Duration.ofHours(4));
                dispatcher.dispatch(100);
            }
            for (String to : recipients) {
                assertThat(delivered(smtp, to)).as(to).isEqualTo(1);
            }
            for (String receipt : receipts) {
                JsonNode email = s.api.get("/v1/emails?object_id=" + receipt).json().at("/data/0");
                assertThat(email.path("status").asText()).isEqualTo("sent");
                JsonNode log = s.api.get("/v1/emails/" + email.path("id").asText()).json().path("delivery_log");
                assertThat(log.get(log.size() - 1).path("outcome").asText()).isEqualTo("sent");
                assertThat(log.size()).isEqualTo(email.path("attempts").asInt());
            }
            assertThat(sendsInsideTransactions.get()).as("SMTP talked to inside a database transaction").isZero();
        } finally {
            smtp.stop();
        }
    }

    private static long delivered(GreenMail smtp, String to) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(to));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    /** A clock the test moves forward, so a day of retries takes seconds. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

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
}

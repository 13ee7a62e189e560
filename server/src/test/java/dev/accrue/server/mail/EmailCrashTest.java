package dev.accrue.server.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Sent after commit, exactly once": a separate Accrue server commits a receipt (and its outbox row) and is
 * killed (SIGKILL) before its mailer ever runs. The email is not lost: a restarted server sends it, once,
 * and later passes do not send it again.
 */
class EmailCrashTest {

    @Test
    void aServerKilledBetweenCommitAndSendStillSendsTheEmailExactlyOnce() throws Exception {
        Sandbox s = new Sandbox("mail crash", EmailTest.CATALOG, "2026-05-01T08:00:00Z");
        String to = EmailTest.unique("crash");
        Map<String, Object> body = Fixtures.customer("Crash Prepaid");
        body.put("billing_emails", List.of(to));
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("account_type", "prepaid");
        String customer = s.api.post("/v1/customers", body).text("id");
        String key = s.api.post("/v1/api_keys", Map.of("name", "crash")).text("secret");
        String url = Files.readAllLines(TestNode.get().dataDir().resolve("postgres.url")).getFirst();
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        try {
            // the first server's mailer would first run in an hour: it dies long before
            Process first = start(url, smtp.getSmtp().getPort(), 3600);
            String receiptNumber;
            String receiptId;
            try {
                int port = portOf(first);
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/customers/"
                                + customer + "/wallet/top_ups")).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":\"30.00\",\"currency\":\"EUR\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201); // committed
                receiptNumber = r.body().replaceAll(".*\"number\":\"([^\"]+)\".*", "$1");
                receiptId = r.body().replaceAll(".*\"id\":\"(rct_[^\"]+)\".*", "$1");
            } finally {
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(to(smtp, to)).isEmpty();
            assertThat(s.api.get("/v1/emails?object_id=" + receiptId).json().at("/data/0/status").asText()).isEqualTo("queued");

            Process second = start(url, smtp.getSmtp().getPort(), 1);
            try {
                portOf(second);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (to(smtp, to).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(to(smtp, to)).hasSize(1);
                Thread.sleep(3_000); // three more passes of the mailer
                List<MimeMessage> got = to(smtp, to);
                assertThat(got).hasSize(1);
                assertThat(got.getFirst().getSubject()).contains(receiptNumber);
                assertThat(s.api.get("/v1/emails?object_id=" + receiptId).json().at("/data/0/status").asText()).isEqualTo("sent");
            } finally {
                second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            smtp.stop();
        }
    }

    private static List<MimeMessage> to(GreenMail smtp, String recipient) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static Process start(String dbUrl, int smtpPort, int mailIntervalSeconds) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("mail-crash-node");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.accrue.server.cli.AccrueCli", "serve", "--port", Integer.toString(port),
                "--data-dir", dataDir.toString(), "--billing-interval", "3600");
        pb.environment().put("ACCRUE_DB_URL", dbUrl);
        pb.environment().put("ACCRUE_SMTP_HOST", "127.0.0.1");
        pb.environment().put("ACCRUE_SMTP_PORT", Integer.toString(smtpPort));
        pb.environment().put("ACCRUE_MAIL_INTERVAL_SECONDS", Integer.toString(mailIntervalSeconds));
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Waits for the server's "API http://127.0.0.1:PORT/v1" line, then keeps draining its output. */
    private static int portOf(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String marker = "API       http://127.0.0.1:";
        while ((line = out.readLine()) != null) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                String rest = line.substring(at + marker.length());
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (java.io.IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(rest.substring(0, rest.indexOf('/')));
            }
        }
        throw new IllegalStateException("The server exited before it listened");
    }
}

package dev.accrue.server.support;

import dev.accrue.app.auth.Role;
import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import dev.accrue.app.webhook.WebhookSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Accrue node per test JVM: embedded PostgreSQL in a temporary directory and the HTTP server on a
 * free port. Tests isolate themselves by creating their own tenants, exactly as real tenants are isolated.
 */
public final class TestNode {
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static volatile TestNode instance;
    private final Accrue accrue;
    private final Path dataDir;
    private final com.icegreen.greenmail.util.GreenMail smtp;

    private TestNode(Path dataDir) {
        this.dataDir = dataDir;
        // the whole suite shares 127.0.0.1: its failed-authentication budget is raised so tests that expect 401s do not meet 429s
        AccrueConfig config = AccrueConfig.fromEnvironment(java.util.Map.of("ACCRUE_RATE_LIMIT_FAILED_AUTH", "100000")).withDataDir(dataDir).withPort(0);
        // webhook tests run their receivers on this machine: the suite's node allows private addresses (off by default)
        this.accrue = Accrue.open(config, Clock.systemUTC(), WebhookSettings.DEFAULT.allowingPrivateAddresses()).serve("127.0.0.1", 0);
        // a real SMTP server for the whole JVM; tests send the outbox with accrue().mail().dispatch(…)
        this.smtp = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        accrue.sendMailWith(new dev.accrue.adapters.mail.SmtpMailTransport("127.0.0.1", smtp.getSmtp().getPort(), "billing@accrue.test", null, null,
                false), null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            accrue.close();
            smtp.stop();
            // the embedded PostgreSQL is stopped now: its data (hundreds of MB to GBs after a suite) goes too, or every
            // test run would leave a copy in the temporary directory until the disk is full
            deleteTree(dataDir);
        }));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete the test node's data under " + root + ": " + e);
        }
    }

    public static TestNode get() {
        if (instance == null) {
            synchronized (TestNode.class) {
                if (instance == null) {
                    try {
                        instance = new TestNode(Files.createTempDirectory("accrue-test-"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return instance;
    }

    public Accrue accrue() {
        return accrue;
    }

    /** The SMTP server the node sends its email to. */
    public com.icegreen.greenmail.util.GreenMail smtp() {
        return smtp;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + accrue.port();
    }

    /** A fresh tenant with an admin key, for a test to own. */
    public TestTenant newTenant(String label) {
        return newTenant(label, TenantMode.SANDBOX);
    }

    public TestTenant newTenant(String label, TenantMode mode) {
        var created = accrue.services().tenants().create(label + " " + TENANTS.incrementAndGet() + " " + Unique.suffix(), mode);
        return new TestTenant(created.tenant().id(), new Api(baseUrl(), created.adminKey().secret()));
    }

    public record TestTenant(String id, Api api) {
        public Api readOnlyApi() {
            var issued = TestNode.get().accrue().services().apiKeys()
                    .create(dev.accrue.app.auth.Caller.operator(id), "read only", Role.READ_ONLY);
            return api.withKey(issued.secret());
        }
    }
}

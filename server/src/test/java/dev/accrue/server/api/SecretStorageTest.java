package dev.accrue.server.api;

import dev.accrue.server.support.Unique;
import dev.accrue.server.cli.AccrueCli;
import dev.accrue.server.demo.DemoLoader;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key's secret is shown once and stored nowhere: after each way of creating a key, every text and JSON
 * column of every table is searched for it (the idempotency table, the audit trail, everything else).
 */
class SecretStorageTest {
    private static final Pattern SECRET = Pattern.compile("sk_(test|live)_[0-9A-Za-z]{32}");

    @Test
    void noWayOfCreatingAKeyStoresItsSecret() throws Exception {
        var tenant = TestNode.get().newTenant("secrets");
        Api api = tenant.api();
        List<String> secrets = new ArrayList<>();

        var plain = api.post("/v1/api_keys", Map.of("name", "plain"));
        assertThat(plain.status()).isEqualTo(201);
        secrets.add(plain.text("secret"));

        Api idempotent = api.withHeader("Idempotency-Key", "key-create-" + Unique.suffix());
        var first = idempotent.post("/v1/api_keys", Map.of("name", "with idempotency key"));
        assertThat(first.status()).isEqualTo(201);
        secrets.add(first.text("secret"));
        var replay = idempotent.post("/v1/api_keys", Map.of("name", "with idempotency key"));
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.text("id")).as("the replay names the same key").isEqualTo(first.text("id"));
        assertThat(replay.text("secret")).as("a replay cannot show a secret that is stored nowhere").isNull();

        String dataDir = TestNode.get().dataDir().toString();
        secrets.add(secretIn(cli("tenant", "create", "--name", "secret scan " + Unique.suffix(), "--data-dir", dataDir)));
        secrets.add(secretIn(cli("apikey", "create", "--tenant", tenant.id(), "--data-dir", dataDir)));

        DemoLoader.Result demo = new DemoLoader(TestNode.get().accrue().services(), Files.createTempDirectory("demo-secrets")).load();
        demo.tenants().forEach(t -> secrets.add(t.apiKey()));

        assertThat(secrets).allSatisfy(s -> assertThat(s).matches(SECRET));
        for (String secret : secrets) {
            assertThat(columnsHolding(secret)).as("columns holding the secret " + secret.substring(0, 12) + "…").isEmpty();
            assertThat(columnsHolding(secret.substring(8))).as("columns holding the random part of " + secret.substring(0, 12) + "…").isEmpty();
        }
    }

    /** Every text, character and JSON column of the public schema whose value contains {@code needle}. */
    private static List<String> columnsHolding(String needle) {
        var jdbi = TestNode.get().accrue().database().jdbi();
        return jdbi.withHandle(h -> {
            List<Map<String, Object>> columns = h.createQuery("""
                    SELECT table_name, column_name FROM information_schema.columns
                    WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
                    """).mapToMap().list();
            assertThat(columns).as("the scan sees the tables").hasSizeGreaterThan(20);
            List<String> found = new ArrayList<>();
            for (Map<String, Object> c : columns) {
                String table = (String) c.get("table_name");
                String column = (String) c.get("column_name");
                String sql = "SELECT count(*) FROM \"" + table + "\" WHERE strpos(\"" + column + "\"::text, :needle) > 0";
                long n = h.createQuery(sql).bind("needle", needle).mapTo(Long.class).one();
                if (n > 0) {
                    found.add(table + "." + column);
                }
            }
            return found;
        });
    }

    private static String cli(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        try {
            assertThat(AccrueCli.run(args)).isZero();
        } finally {
            System.setOut(out);
        }
        return o.toString(StandardCharsets.UTF_8);
    }

    private static String secretIn(String text) {
        Matcher m = SECRET.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }
}

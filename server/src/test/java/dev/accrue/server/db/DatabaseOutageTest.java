package dev.accrue.server.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.server.support.NodeProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Losing the database, with real processes: a node answers within seconds, 503 problem+json
 * {@code database_unavailable} with Retry-After (and /health says the database is down) instead of hanging for
 * 30 s and answering 500; it serves again by itself when the database returns — an external one started again by
 * its operator, or its embedded one, which the node starts again itself.
 */
class DatabaseOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The node waits 2 s for a connection (ACCRUE_DB_TIMEOUT_MS); an answer takes that and a little more. */
    private static final Duration FAST = Duration.ofSeconds(6);

    @Test
    void withItsExternalDatabaseGoneANodeAnswers503QuicklyAndServesAgainWhenTheDatabaseReturns() throws Exception {
        Path pgData = Files.createTempDirectory("outage-pg");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedPostgres pg = external(pgData, port);
        try (NodeProcess node = NodeProcess.start(Files.createTempDirectory("outage-node"),
                Map.of("ACCRUE_DB_URL", "jdbc:postgresql://localhost:" + port + "/postgres", "ACCRUE_DB_TIMEOUT_MS", "2000"), "--demo")) {
            String key = OrphanPostgresTest.demoKey(node);
            assertThat(node.send("GET", "/v1/customers", key, null, FAST).statusCode()).isEqualTo(200);

            pg.close();
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                var health = node.send("GET", "/health", null, null, Duration.ofSeconds(40));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(health.body()).get("database").asText()).isEqualTo("unreachable");

                started = System.nanoTime();
                var call = node.send("GET", "/v1/customers", key, null, Duration.ofSeconds(40));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
                assertUnavailable(call);
                var write = node.send("POST", "/v1/test_clocks", key, "{\"name\":\"during the outage\"}", Duration.ofSeconds(40));
                assertUnavailable(write);
            }

            pg = external(pgData, port);
            var back = awaitServing(node, key);
            assertThat(back.statusCode()).isEqualTo(200);
            assertThat(node.send("GET", "/health", null, null, FAST).statusCode()).isEqualTo(200);
            assertThat(node.send("GET", "/v1/test_clocks", key, null, FAST).body()).doesNotContain("during the outage");
        } finally {
            pg.close();
        }
    }

    @Test
    void aNodeStartsItsKilledEmbeddedDatabaseAgainAndAnswersQuicklyMeanwhile() throws Exception {
        Path dataDir = Files.createTempDirectory("outage-embedded");
        try (NodeProcess node = NodeProcess.start(dataDir, Map.of("ACCRUE_DB_TIMEOUT_MS", "2000"), "--demo")) {
            String key = OrphanPostgresTest.demoKey(node);
            String before = node.send("GET", "/v1/customers?limit=100", key, null, FAST).body();
            long killed = OrphanPostgresTest.postmasterPid(dataDir).orElseThrow();

            ProcessHandle.of(killed).orElseThrow().destroyForcibly(); // SIGKILL the postmaster
            ProcessHandle.of(killed).orElseThrow().onExit().join();
            HttpResponse<String> r = awaitServing(node, key);
            assertThat(r.body()).isEqualTo(before); // committed data survived the crash
            long restarted = OrphanPostgresTest.postmasterPid(dataDir).orElseThrow();
            assertThat(restarted).isNotEqualTo(killed);
            assertThat(node.send("GET", "/health", null, null, FAST).statusCode()).isEqualTo(200);
        } finally {
            OrphanPostgresTest.postmasterPid(dataDir).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Calls until the node answers 200; every answer meanwhile is quick and a 503 database_unavailable. */
    private static HttpResponse<String> awaitServing(NodeProcess node, String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            long started = System.nanoTime();
            var r = node.send("GET", "/v1/customers?limit=100", key, null, Duration.ofSeconds(40));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
            if (r.statusCode() == 200) {
                return r;
            }
            assertUnavailable(r);
            assertThat(System.nanoTime()).as("the node never served again").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static void assertUnavailable(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(r.headers().firstValue("Retry-After")).contains("5");
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("code").asText()).isEqualTo("database_unavailable");
        assertThat(problem.get("status").asInt()).isEqualTo(503);
    }

    private static EmbeddedPostgres external(Path pgData, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(pgData.toFile()).setCleanDataDirectory(false).setPort(port).start();
    }
}

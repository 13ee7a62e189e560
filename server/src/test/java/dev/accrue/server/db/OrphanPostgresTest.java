package dev.accrue.server.db;

import dev.accrue.server.support.NodeProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node SIGKILLed leaves its embedded PostgreSQL running (it is a daemon of its own); the next node on the same
 * data directory finds that orphan through PostgreSQL's {@code postmaster.pid}, stops it cleanly and starts its
 * own on the same data — every committed row still there.
 */
class OrphanPostgresTest {

    @Test
    void aNodeStartsAfterItsPredecessorWasKilledStoppingTheOrphanPostgresAndKeepingTheData() throws Exception {
        Path dataDir = Files.createTempDirectory("orphan-node");
        Long orphanPid = null;
        try {
            NodeProcess first = NodeProcess.start(dataDir, Map.of(), "--demo");
            String key = demoKey(first);
            String customers = first.send("GET", "/v1/customers?limit=100", key, null, Duration.ofSeconds(30)).body();
            assertThat(customers).contains("\"cus_");
            long orphan = postmasterPid(dataDir).orElseThrow();
            orphanPid = orphan;

            first.kill();
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("the killed node's PostgreSQL lives on").contains(true);

            try (NodeProcess second = NodeProcess.start(dataDir, Map.of())) {
                var again = second.send("GET", "/v1/customers?limit=100", key, null, Duration.ofSeconds(30));
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(again.body()).isEqualTo(customers);
                assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).as("the orphan was stopped").isFalse();
                assertThat(second.output()).anyMatch(l -> l.contains("(pid " + orphan + ") is still running on"))
                        .as("stopped by a fast shutdown, not killed").noneMatch(l -> l.contains("did not stop within"));
                long ownPid = postmasterPid(dataDir).orElseThrow();
                assertThat(ownPid).isNotEqualTo(orphanPid);
                orphanPid = ownPid;
            }
            // stopped in order (SIGTERM): the node stops its PostgreSQL too
            ProcessHandle own = ProcessHandle.of(orphanPid).orElse(null);
            if (own != null) {
                own.onExit().get(60, TimeUnit.SECONDS);
            }
            assertThat(postmasterPid(dataDir)).isEmpty();
        } finally {
            if (orphanPid != null) {
                ProcessHandle.of(orphanPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            postmasterPid(dataDir).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The key the demo prints: "Try: curl -H 'Authorization: Bearer KEY' …". */
    static String demoKey(NodeProcess node) throws InterruptedException {
        String marker = "Authorization: Bearer ";
        String line = node.awaitLine(marker, Duration.ofSeconds(30));
        String rest = line.substring(line.indexOf(marker) + marker.length());
        return rest.substring(0, rest.indexOf('\''));
    }

    /** The postmaster of the node's embedded PostgreSQL, as PostgreSQL records it, when alive. */
    static Optional<Long> postmasterPid(Path dataDir) throws Exception {
        Path file = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readAllLines(file).getFirst().trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    }
}

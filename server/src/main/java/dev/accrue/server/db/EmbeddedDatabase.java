package dev.accrue.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL (binaries from Maven Central) whose data directory lives under the node's data dir, so a
 * bare machine needs nothing installed. While it runs, {@code <dataDir>/postgres.url} tells other processes
 * (the CLI) where to connect instead of starting a second server on the same files.
 *
 * <p>Crashes on either side are survived. A PostgreSQL left running by a node that was killed is found
 * through its own {@code postmaster.pid} and stopped before this one starts ({@link Postmaster}). A PostgreSQL
 * that dies under a running node is started again by {@link #restartIfStopped()}, on the same port so the
 * connection pool finds it, recovering from its WAL like after a power cut.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Map<String, String> SETTINGS = settings();
    private final EmbeddedPostgres postgres;
    private final Postmaster postmaster;
    private final Path urlFile;
    private final Path logFile;
    private final Path pgCtl;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Postmaster postmaster, Path urlFile, Path logFile, Path pgCtl) {
        this.postgres = postgres;
        this.postmaster = postmaster;
        this.urlFile = urlFile;
        this.logFile = logFile;
        this.pgCtl = pgCtl;
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("max_connections", "300");
        s.put("fsync", "on");
        s.put("synchronous_commit", "on");
        // ingestion writes two random-keyed indexes (event ids) per event: with PostgreSQL's defaults (128 MB of
        // buffers, a checkpoint every 1 GB of WAL) their pages are evicted and, after each checkpoint, logged whole
        // again; more buffers, rarer checkpoints and compressed page images cut that write amplification
        s.put("shared_buffers", "512MB");
        s.put("wal_buffers", "16MB");
        s.put("max_wal_size", "4GB");
        s.put("checkpoint_timeout", "15min");
        s.put("wal_compression", "on");
        // a benchmark's statement count (bench/run … BENCH_STATEMENTS=1) reads it from PostgreSQL itself, which sees every
        // statement — those sent on a raw JDBC connection, each of a multi-statement round trip, those inside functions
        if (Boolean.getBoolean("accrue.embedded.statementStatistics")) {
            s.put("shared_preload_libraries", "pg_stat_statements");
            s.put("pg_stat_statements.track", "all");
            s.put("pg_stat_statements.track_utility", "on");
            s.put("pg_stat_statements.max", "5000");
        }
        return s;
    }

    public static EmbeddedDatabase start(Path dataDir) {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Postmaster postmaster = new Postmaster(pgData);
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(pgData)) {
                postmaster.stopOrphan(Duration.ofSeconds(30));
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData.toFile())
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP)
                    .setPort(0)
                    // ids are compared byte-wise ("C"): the same order as C.UTF-8 gives valid UTF-8, but B-tree inserts
                    // and sorts of text keys skip strcoll (about a tenth of PostgreSQL's CPU in ingestion); character
                    // classes (upper, lower, ILIKE) keep the UTF-8 ctype. Applies when the data directory is created.
                    .setLocaleConfig("lc-collate", "C")
                    .setLocaleConfig("lc-ctype", "C.UTF-8");
            SETTINGS.forEach(builder::setServerConfig);
            EmbeddedPostgres pg = builder.start();
            Path urlFile = dataDir.resolve("postgres.url");
            Files.writeString(urlFile, jdbcUrl(pg.getPort()) + "\n" + ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
            Path pgCtl = postmaster.running().flatMap(p -> p.info().command()).map(c -> Path.of(c).resolveSibling("pg_ctl")).orElse(null);
            return new EmbeddedDatabase(pg, postmaster, urlFile, dataDir.resolve("postgres.log").toAbsolutePath(), pgCtl);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL under " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** The JDBC URL of an embedded PostgreSQL that another live process runs on this data dir, if any. */
    public static Optional<String> runningElsewhere(Path dataDir) {
        Path urlFile = dataDir.resolve("postgres.url");
        if (!Files.exists(urlFile)) {
            return Optional.empty();
        }
        try {
            var lines = Files.readAllLines(urlFile, StandardCharsets.UTF_8);
            long pid = Long.parseLong(lines.get(1).trim());
            // the recorded process may be gone, or its id reused: the data directory's lock says whether it is held
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    && new Postmaster(dataDir.resolve("postgres")).owned();
            return alive ? Optional.of(lines.get(0).trim()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts PostgreSQL again if its postmaster is gone (killed, crashed, stopped by hand), with the same port
     * and settings; returns whether it had to. A start that fails (the dead server's processes still hold its
     * shared memory for a moment) is simply tried again at the next call.
     */
    public synchronized boolean restartIfStopped() {
        if (postmaster.running().isPresent()) {
            return false;
        }
        if (pgCtl == null) {
            LOG.error("The embedded PostgreSQL is down and its pg_ctl is unknown; restart the node");
            return false;
        }
        LOG.warn("The embedded PostgreSQL on port {} is down; starting it again", port());
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port())));
        SETTINGS.forEach((k, v) -> options.addAll(List.of("-c", k + "=" + v)));
        try {
            List<String> command = new ArrayList<>();
            if (LinuxUtils.isUnshareAvailable()) {
                // as the library starts it: PostgreSQL refuses to run as root, and in a user namespace it is not
                command.addAll(List.of("unshare", "-U"));
            }
            command.addAll(List.of(pgCtl.toString(), "start", "-D", postmaster.dataDirectory().toString(), "-w",
                    "-t", Long.toString(STARTUP.toSeconds()), "-l", logFile.toString(), "-o", String.join(" ", options)));
            Process start = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            if (!start.waitFor(STARTUP.toSeconds() + 5, TimeUnit.SECONDS) || start.exitValue() != 0) {
                LOG.warn("The embedded PostgreSQL did not start yet (see {}); trying again", logFile);
                return false;
            }
            LOG.info("The embedded PostgreSQL is back on port {}", port());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(port());
    }

    private int port() {
        return postgres.getPort();
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** Stops whichever postmaster serves the data directory now (the first one, or one started again). */
    @Override
    public synchronized void close() {
        try {
            Files.deleteIfExists(urlFile);
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.accrue.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real PostgreSQL (binaries from Maven Central) whose data directory lives under the node's data dir, so a
 * bare machine needs nothing installed. While it runs, {@code <dataDir>/postgres.url} tells other processes
 * (the CLI) where to connect instead of starting a second server on the same files.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final Path urlFile;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path urlFile) {
        this.postgres = postgres;
        this.urlFile = urlFile;
    }

    public static EmbeddedDatabase start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path pgData = dataDir.resolve("postgres").toAbsolutePath();
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData.toFile())
                    .setCleanDataDirectory(false)
                    .setPort(0)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            Path urlFile = dataDir.resolve("postgres.url");
            Files.writeString(urlFile, jdbcUrl(pg.getPort()) + "\n" + ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
            return new EmbeddedDatabase(pg, urlFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL under " + dataDir.toAbsolutePath()
                    + "; is another Accrue using it? (" + e.getMessage() + ")", e);
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
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(lines.get(0).trim()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(postgres.getPort());
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(urlFile);
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

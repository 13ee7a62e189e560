package dev.accrue.server.db;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PostgreSQL server of one data directory, as PostgreSQL itself records it: the first lines of
 * {@code postmaster.pid} are the postmaster's process id and the data directory it serves. Trusting that file
 * (and not our own bookkeeping) is what lets a node find the PostgreSQL a killed predecessor left running.
 */
final class Postmaster {
    private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
    private final Path pgData;

    Postmaster(Path pgData) {
        this.pgData = pgData.toAbsolutePath();
    }

    Path dataDirectory() {
        return pgData;
    }

    /** The live postmaster serving this data directory, if any (a stale file or a reused process id is none). */
    Optional<ProcessHandle> running() {
        Path pidFile = pgData.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.exists(pidFile) ? Files.readAllLines(pidFile, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return Optional.empty(); // removed while we read it: the postmaster just stopped
        }
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> isPostgres(p) && samePath(Path.of(lines.get(1).trim())));
    }

    /**
     * Stops the postmaster a dead node left on this data directory: a fast shutdown with the orphan's own
     * {@code pg_ctl} (open transactions roll back, committed ones are kept), SIGTERM when that tool is not found,
     * SIGKILL if it does not stop within {@code patience} (PostgreSQL then recovers from its WAL at the next
     * start, exactly as after a power cut). Returns whether there was one.
     */
    boolean stopOrphan(Duration patience) {
        Optional<ProcessHandle> found = running();
        if (found.isEmpty()) {
            return false;
        }
        ProcessHandle orphan = found.get();
        if (owned()) {
            throw new IllegalStateException("PostgreSQL (pid " + orphan.pid() + ") on " + pgData + " belongs to a running process; stop that first");
        }
        LOG.warn("PostgreSQL (pid {}) is still running on {} though the node that started it is gone; stopping it", orphan.pid(), pgData);
        Optional<Path> pgCtl = orphan.info().command().map(c -> Path.of(c).resolveSibling("pg_ctl")).filter(Files::isExecutable);
        try {
            if (pgCtl.isPresent()) {
                List<String> command = new ArrayList<>();
                if (LinuxUtils.isUnshareAvailable()) {
                    command.addAll(List.of("unshare", "-U")); // pg_ctl refuses to run as root, as the library knows
                }
                command.addAll(List.of(pgCtl.get().toString(), "stop", "-D", pgData.toString(), "-m", "fast", "-w", "-t",
                        Long.toString(patience.toSeconds())));
                Process stop = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                stop.waitFor(patience.toSeconds() + 5, TimeUnit.SECONDS);
            } else {
                orphan.destroy();
            }
            orphan.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the orphan PostgreSQL " + orphan.pid(), e);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("PostgreSQL (pid {}) did not stop within {}; killing it", orphan.pid(), patience);
            orphan.destroyForcibly();
            orphan.onExit().join();
        }
        return true;
    }

    /**
     * Whether a live process holds the data directory's {@code epg-lock}: the embedded PostgreSQL library locks
     * it for as long as the process that started the server lives, and the operating system drops the lock
     * when that process dies, however it dies.
     */
    boolean owned() {
        if (!Files.exists(pgData.resolve("epg-lock"))) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(pgData.resolve("epg-lock"), StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true; // this very process holds it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reused process id is not taken for a postmaster; a process whose command cannot be read is trusted. */
    private static boolean isPostgres(ProcessHandle p) {
        return p.info().command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(true);
    }

    private boolean samePath(Path recorded) {
        try {
            return Files.isSameFile(recorded, pgData);
        } catch (IOException e) {
            return false;
        }
    }
}

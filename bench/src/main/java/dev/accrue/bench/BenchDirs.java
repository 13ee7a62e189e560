package dev.accrue.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories of a benchmark (a node's embedded PostgreSQL data, a catalog file), deleted when the JVM
 * exits: a benchmark's data is hundreds of MB to GBs, and runs that left it behind filled this machine's disk.
 * The hook runs after {@code main} returned, so the node using the directory was closed by then (every benchmark
 * closes its nodes with try-with-resources); an interrupted run's PostgreSQL loses its files and stops with it.
 */
final class BenchDirs {
    private BenchDirs() {
    }

    static Path directory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        deleteOnExit(dir);
        return dir;
    }

    static Path file(String prefix, String suffix) throws IOException {
        Path file = Files.createTempFile(prefix, suffix);
        deleteOnExit(file);
        return file;
    }

    private static void deleteOnExit(Path root) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "delete " + root.getFileName()));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete the benchmark's data under " + root + ": " + e);
        }
    }
}

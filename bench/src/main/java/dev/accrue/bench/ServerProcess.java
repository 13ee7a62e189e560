package dev.accrue.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchNode} in a JVM of its own, so that a load generator's threads, allocations and collections are
 * not counted as the server's (issue 18 point 3). The child runs with the heap and collector {@code ./accrue}
 * gives a server and the same class path; it prints {@code READY <url> <api key>} once its data is in place and
 * answers {@code reset} (peak heap counters) and {@code peak} (peak heap in MiB) on its standard input; closing
 * that input stops it.
 */
final class ServerProcess implements AutoCloseable {
    final String baseUrl;
    final String apiKey;
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    ServerProcess(String catalogYaml, String plan, int customers, String heap) throws IOException {
        Path catalog = Files.createTempFile("accrue-bench-catalog-", ".yaml");
        Files.writeString(catalog, catalogYaml);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-Xms" + heap, "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(), catalog.toString(), plan, Integer.toString(customers)));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // the server's own log lines
        }
        if (line == null) {
            throw new IllegalStateException("the benchmark server exited before it was ready");
        }
        String[] ready = line.split(" ");
        baseUrl = ready[1];
        apiKey = ready[2];
    }

    void resetPeaks() throws IOException {
        ask("reset");
    }

    long peakHeapMiB() throws IOException {
        return Long.parseLong(ask("peak"));
    }

    private String ask(String command) throws IOException {
        in.println(command);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ANSWER ")) {
            // log lines
        }
        if (line == null) {
            throw new IllegalStateException("the benchmark server exited");
        }
        return line.substring("ANSWER ".length());
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The child: a node with the catalog and customers, serving until its standard input closes. */
    public static void main(String[] args) throws Exception {
        try (BenchNode node = new BenchNode(Files.readString(Path.of(args[0])), args[1], Integer.parseInt(args[2]));
             BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY " + node.baseUrl + " " + node.apiKey);
            System.out.flush();
            String command;
            while ((command = commands.readLine()) != null) {
                switch (command.trim()) {
                    case "reset" -> {
                        BenchNode.resetPeaks();
                        System.out.println("ANSWER ok");
                    }
                    case "peak" -> System.out.println("ANSWER " + BenchNode.peakHeapMiB());
                    default -> System.out.println("ANSWER unknown");
                }
                System.out.flush();
            }
        }
    }
}

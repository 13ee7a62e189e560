package dev.accrue.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A separate Accrue server process ({@code accrue serve}) started from the test's class path, so a test can
 * kill it for real (SIGKILL) and start it again on the same data. Its output is kept for the test to read.
 */
public final class NodeProcess implements AutoCloseable {
    private static final String API_LINE = "API       http://127.0.0.1:";
    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NodeProcess(Process process) throws IOException {
        this.process = process;
        this.port = awaitListening();
    }

    /**
     * Starts {@code accrue serve} on a free port with {@code dataDir}; {@code env} is added to (a null value
     * removes from) the inherited environment — without ACCRUE_DB_URL the node runs its embedded PostgreSQL.
     */
    public static NodeProcess start(Path dataDir, Map<String, String> env, String... extraArgs) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.accrue.server.cli.AccrueCli", "serve", "--port", Integer.toString(port),
                "--data-dir", dataDir.toString(), "--billing-interval", "3600"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("ACCRUE_DB_URL");
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        pb.redirectErrorStream(true);
        return new NodeProcess(pb.start());
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Every line the process printed so far. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The first line printed that contains {@code text}, waiting up to {@code timeout} for it. */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output()) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no line with '" + text + "' within " + timeout + ":\n" + String.join("\n", output()));
    }

    /** SIGKILL: no shutdown hook runs, nothing is closed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** A GET or POST (with a JSON body) with {@code key} as bearer, answered within {@code timeout}. */
    public HttpResponse<String> send(String method, String path, String key, String jsonBody, Duration timeout) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(timeout);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM and wait: the shutdown hook closes the node (and its embedded PostgreSQL). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Waits for the server's "API http://127.0.0.1:PORT/v1" line, then keeps draining its output. */
    private int awaitListening() throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            output.add(line);
            int at = line.indexOf(API_LINE);
            if (at >= 0) {
                String rest = line.substring(at + API_LINE.length());
                Thread drain = new Thread(() -> {
                    try {
                        String more;
                        while ((more = out.readLine()) != null) {
                            output.add(more);
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(rest.substring(0, rest.indexOf('/')));
            }
        }
        throw new IllegalStateException("server exited before listening:\n" + String.join("\n", output));
    }
}

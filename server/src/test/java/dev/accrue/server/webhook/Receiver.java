package dev.accrue.server.webhook;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real HTTP server on 127.0.0.1 receiving webhooks: every request is kept with its headers, body and the status
 * answered; {@link #failWhen} decides which requests are answered 503 (all of them, or one object's events).
 */
final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> fail = body -> false;

    record Received(Map<String, String> headers, String body, int status) {
        String header(String name) {
            return headers.get(name);
        }

        boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.getFirst()));
            int status = fail.test(body) ? 503 : 204;
            received.add(new Received(headers, body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void failWhen(Predicate<String> body) {
        this.fail = body;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> accepted() {
        return received.stream().filter(Received::accepted).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

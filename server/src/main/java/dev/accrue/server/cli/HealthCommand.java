package dev.accrue.server.cli;

import dev.accrue.server.AccrueConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** A container health check that needs no curl in the image: asks the local node's /health. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a running node's /health (default http://127.0.0.1:$ACCRUE_PORT); exit 0 when it answers 200, 1 otherwise.")
class HealthCommand implements Callable<Integer> {
    @Option(names = "--url", description = "Base URL of the node (default http://127.0.0.1:ACCRUE_PORT)")
    String url;

    @Override
    public Integer call() {
        String base = url != null ? url : "http://127.0.0.1:" + System.getenv().getOrDefault("ACCRUE_PORT", Integer.toString(AccrueConfig.DEFAULT_PORT));
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(4)).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(r.statusCode() + " " + r.body());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            System.out.println("unreachable: " + e.getMessage());
            return 1;
        }
    }
}

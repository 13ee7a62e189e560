package dev.accrue.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Call authorization over HTTP: C concurrent clients each ask "may this call start?" (POST
 * /v1/authorizations) for random customers, N requests in all; prints throughput and latency percentiles
 * of the full HTTP round trip, and the server's peak heap. Clients, server and PostgreSQL share 2 cores.
 */
public final class AuthorizationBenchmark {
    private static final String CATALOG = """
            name: bench
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: pro
                product: voice
                name: Pro
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 100000000 }], overage: { policy: block } }
            """;

    private AuthorizationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int customers = 2_000;
        try (BenchNode node = new BenchNode(CATALOG, "pro", customers)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 2_000; i++) { // warm-up
                authorize(http, node, 1 + i % customers);
            }
            BenchNode.resetPeaks();
            long[] latencies = new long[total];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            long started = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                List<Future<?>> futures = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    futures.add(pool.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < total) {
                            long t0 = System.nanoTime();
                            if (!authorize(http, node, 1 + (i * 7919) % customers)) {
                                refused.incrementAndGet();
                            }
                            latencies[i] = System.nanoTime() - t0;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(latencies);
            System.out.printf("Call authorization over HTTP: %d requests, %d concurrent clients, %d customers, %d cores%n",
                    total, clients, customers, Runtime.getRuntime().availableProcessors());
            System.out.printf("  %.2f s, %.0f checks/s, refused %d%n", seconds, total / seconds, refused.get());
            System.out.printf("  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99),
                    latencies[total - 1] / 1e6);
            System.out.printf("  server peak heap %d MiB%n", BenchNode.peakHeapMiB());
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static boolean authorize(HttpClient http, BenchNode node, int customer) {
        try {
            String body = "{\"customer_id\":\"cus_b" + customer + "\",\"metric\":\"call_seconds\",\"requested\":60}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl + "/v1/authorizations"))
                    .header("Authorization", "Bearer " + node.apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("authorization failed: " + r.statusCode() + " " + r.body());
            }
            return r.body().contains("\"authorized\":true");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

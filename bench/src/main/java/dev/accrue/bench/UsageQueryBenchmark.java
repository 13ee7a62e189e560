package dev.accrue.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Current-usage query for a customer with E events in the period: the events are stored and aggregated by
 * the same SQL the ingestion runs (bulk, so only the query is timed), then C clients GET
 * /v1/subscriptions/{id}/usage N times. Prints latency percentiles and the server's peak heap.
 */
public final class UsageQueryBenchmark {
    private static final String CATALOG = """
            name: bench
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [direction, ai_employee] }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: pro
                product: voice
                name: Pro
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 18000 }],
                      pricing: { model: per_unit, unit_price: { USD: "0.12" }, per_units: 60 } }
            """;

    private UsageQueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        try (BenchNode node = new BenchNode(CATALOG, "pro", 1)) {
            LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
            int days = LocalDate.now(ZoneOffset.UTC).getDayOfMonth();
            long seedStart = System.nanoTime();
            node.accrue.database().jdbi().useTransaction(h -> {
                h.createUpdate("""
                        INSERT INTO usage_events (tenant_id, event_id, customer_id, subscription_id, metric, occurred_at, day, quantity,
                                                  dimension_key, counted, properties, received_at)
                        SELECT :t, 'q-' || i, 'cus_b1', 'sub_b1', 'call_seconds', (:first + (i % :days)) + interval '12 hours', :first + (i % :days),
                               1 + i % 600, 'ai_employee=e' || (i % 20) || '|direction=' || CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END,
                               true, '{}', now()
                        FROM generate_series(1, :n) i""").bind("t", node.tenantId).bind("first", first).bind("days", days).bind("n", events).execute();
                h.createUpdate("""
                        INSERT INTO usage_daily (tenant_id, subscription_id, metric, day, dimension_key, quantity, events, max_quantity, latest_at, latest_quantity)
                        SELECT tenant_id, subscription_id, metric, day, dimension_key, sum(quantity), count(*), max(quantity), max(occurred_at), max(quantity)
                        FROM usage_events WHERE tenant_id = :t GROUP BY tenant_id, subscription_id, metric, day, dimension_key""")
                        .bind("t", node.tenantId).execute();
            });
            System.out.printf("Seeded %d events (%d days × 40 dimension combinations) in %.1f s%n", events, days, (System.nanoTime() - seedStart) / 1e9);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl + "/v1/subscriptions/sub_b1/usage"))
                    .header("Authorization", "Bearer " + node.apiKey).GET().build();
            String sample = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            for (int i = 0; i < 500; i++) {
                http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            BenchNode.resetPeaks();
            LatencyRun run = LatencyRun.of(requests, clients, i -> {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.body());
                }
            });
            System.out.printf("Current-usage query over HTTP: %d requests, %d clients, %d events in the period%n", requests, clients, events);
            System.out.printf("  %s%n", run.summary());
            int at = sample.indexOf("used");
            System.out.printf("  server peak heap %d MiB; response: ...%s...%n", BenchNode.peakHeapMiB(), sample.substring(at, Math.min(sample.length(), at + 20)));
        }
    }
}

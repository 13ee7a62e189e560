package dev.accrue.bench;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own latency for one route, read from its Prometheus histogram ({@code accrue_http_requests_seconds},
 * timed by the HTTP server from its first to its last handler, all statuses): a scrape before the measured run and
 * one after, the difference of their cumulative buckets, and each percentile as the upper bound of the bucket it
 * falls in (Micrometer's buckets are about 0.35 ms wide around 1–4 ms, so "≤ 2.10 ms" means between 1.75 and 2.10).
 * What it leaves out — the TCP stack, Jetty's parsing before the first handler and the flush of the answer, the run
 * queue of a loaded machine between the client's send and the server's read — is what the client's figure adds.
 */
final class ServerLatency {
    private static final Pattern BUCKET = Pattern.compile(
            "^accrue_http_requests_seconds_bucket\\{(.*)}\\s+(\\S+)$"); // a route template has braces of its own
    private final String baseUrl;
    private final String method;
    private final String route;
    private final TreeMap<Double, Double> before;

    private ServerLatency(String baseUrl, String method, String route) throws IOException {
        this.baseUrl = baseUrl;
        this.method = method;
        this.route = route;
        this.before = buckets();
    }

    /** Starts counting now: the later {@link #summary()} covers the requests answered from here on. */
    static ServerLatency from(String baseUrl, String method, String route) throws IOException {
        return new ServerLatency(baseUrl, method, route);
    }

    /** p50, p90, p99 and the count of the requests answered since {@link #from}, by the server's histogram. */
    String summary() throws IOException {
        TreeMap<Double, Double> after = buckets();
        TreeMap<Double, Double> diff = new TreeMap<>();
        after.forEach((le, count) -> diff.put(le, count - before.getOrDefault(le, 0.0)));
        double total = diff.isEmpty() ? 0 : diff.lastEntry().getValue(); // +Inf
        if (total <= 0) {
            return "server-side: no requests in its histogram";
        }
        return String.format("server-side (%s %s, /metrics histogram, %.0f requests): p50 ≤ %s  p90 ≤ %s  p99 ≤ %s ms", method, route, total,
                bound(diff, total, 0.50), bound(diff, total, 0.90), bound(diff, total, 0.99));
    }

    private static String bound(TreeMap<Double, Double> cumulative, double total, double q) {
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= q * total) {
                return e.getKey().isInfinite() ? "∞" : String.format("%.2f", e.getKey() * 1000);
            }
        }
        return "∞";
    }

    /** Cumulative counts by upper bound (seconds), summed over the route's statuses. */
    private TreeMap<Double, Double> buckets() throws IOException {
        String text;
        try (KeepAliveHttp http = new KeepAliveHttp(baseUrl)) {
            KeepAliveHttp.Response r = http.get("/metrics", null);
            if (r.status() != 200) {
                throw new IllegalStateException("GET /metrics answered " + r.status());
            }
            text = r.body();
        }
        TreeMap<Double, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = BUCKET.matcher(line);
            if (!m.find()) {
                continue;
            }
            String labels = m.group(1);
            if (!labels.contains("method=\"" + method + "\"") || !labels.contains("route=\"" + route + "\"")) {
                continue;
            }
            Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(labels);
            if (le.find()) {
                double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                out.merge(bound, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return out;
    }
}

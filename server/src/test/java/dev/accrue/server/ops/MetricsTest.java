package dev.accrue.server.ops;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Business metrics on a live /metrics move with traffic (issue 17 point 2). */
class MetricsTest {
    static final String METERED = """
            name: metered
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: api_calls, aggregation: count, unit: call }
            products:
              - { code: api, name: API }
            plans:
              - code: pro
                product: api
                name: Pro
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Pro, monthly_price: { USD: "49.00" } }
                  - { type: metered, code: api, metric: api_calls, allowances: [{ quantity: 5 }], overage: { policy: block } }
            """;
    private final Api anonymous = new Api(TestNode.get().baseUrl(), null);

    @Test
    void businessMetricsMoveWithTraffic() {
        Sandbox s = new Sandbox("metrics", METERED, "2026-06-20T12:00:00Z");
        String customer = s.customer("Metered Co", "USD", "UTC");
        String before = scrape();
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "pro", "start_date", "2026-06-01")).get("id").asText();

        Map<String, Object> ok = Map.of("event_id", "m-1", "customer_id", customer, "metric", "api_calls", "timestamp", "2026-06-10T10:00:00Z");
        Map<String, Object> stranger = Map.of("event_id", "m-2", "customer_id", "cus_01J00000000000000000000000", "metric", "api_calls",
                "timestamp", "2026-06-10T10:00:00Z");
        assertThat(s.api.post("/v1/events/batch", Map.of("events", List.of(ok, stranger))).status()).isEqualTo(200);
        assertThat(s.api.post("/v1/events/batch", Map.of("events", List.of(ok))).json().get("duplicates").asInt()).isEqualTo(1);
        assertThat(s.api.post("/v1/events/batch", Map.of("events", List.of())).code()).isEqualTo("missing_field");
        var granted = s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "api_calls", "requested", 2));
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        // the allowance is 5 and 2 are held: asking for 3 more then for 1 more is granted then refused
        assertThat(s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "api_calls", "requested", 3)).json()
                .get("authorized").asBoolean()).isTrue();
        var refused = s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "api_calls", "requested", 1));
        assertThat(refused.status()).as(refused.body()).isEqualTo(200);
        assertThat(refused.json().get("authorized").asBoolean()).as(refused.body()).isFalse();
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage").status()).isEqualTo(200);
        String after = scrape();

        assertThat(delta(before, after, "accrue_usage_events_total", "outcome=\"accepted\"")).isEqualTo(1);
        assertThat(delta(before, after, "accrue_usage_events_total", "outcome=\"duplicate\"")).isEqualTo(1);
        assertThat(delta(before, after, "accrue_usage_events_total", "code=\"unknown_customer\"")).isEqualTo(1);
        assertThat(delta(before, after, "accrue_usage_events_total", "code=\"missing_field\"")).isEqualTo(1);
        assertThat(delta(before, after, "accrue_authorizations_total", "outcome=\"granted\"")).isEqualTo(2);
        assertThat(delta(before, after, "accrue_authorizations_total", "outcome=\"refused\"")).isEqualTo(1);
        assertThat(delta(before, after, "accrue_usage_group_commit_events_count", "")).isGreaterThanOrEqualTo(1);
        // the customer's second and third checks (cached by the first) each went through a shared group statement
        assertThat(delta(before, after, "accrue_authorization_group_checks_count", "")).isGreaterThanOrEqualTo(2);
        assertThat(delta(before, after, "accrue_invoices_finalized_total", "currency=\"USD\"")).isGreaterThanOrEqualTo(1);
        // a Prometheus counter is a double: after other tests' invoices, (before + 49) - before can be 48.999999999999…
        assertThat(delta(before, after, "accrue_invoices_finalized_amount_total", "currency=\"USD\"")).isGreaterThanOrEqualTo(49 - 1e-6);
        assertThat(delta(before, after, "cache_gets_total", "cache=\"catalogs\"")).isGreaterThan(0);
        assertThat(delta(before, after, "accrue_http_requests_seconds_count", "route=\"/v1/events/batch\"")).isEqualTo(3);
        // the pool and the HTTP server report themselves
        assertThat(value(after, "hikaricp_connections_max", "pool=\"accrue\"")).isGreaterThan(0);
        // the usage view read on the read-only pool (auto-commit, no BEGIN/COMMIT), which reports itself apart
        assertThat(delta(before, after, "hikaricp_connections_acquire_seconds_count", "pool=\"accrue-read\"")).isGreaterThanOrEqualTo(1);
        assertThat(after).as(after.lines().filter(l -> l.startsWith("jetty")).toList().toString()).contains("jetty_threads_current");
        assertThat(value(after, "accrue_http_requests_active", "")).isGreaterThanOrEqualTo(1); // this very scrape
        assertThat(after).contains("accrue_email_outbox_queued ").contains("accrue_billing_due_subscriptions ");
    }

    private String scrape() {
        var metrics = anonymous.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body();
    }

    static double delta(String before, String after, String name, String labels) {
        return value(after, name, labels) - value(before, name, labels);
    }

    /** The sum of every series of {@code name} whose labels contain {@code labels}. */
    static double value(String scrape, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([-0-9.eE+NaInf]+)$").matcher(scrape);
        double sum = 0;
        while (m.find()) {
            if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}

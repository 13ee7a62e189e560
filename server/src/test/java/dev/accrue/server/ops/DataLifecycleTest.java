package dev.accrue.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.lifecycle.DataLifecycle;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data lifecycle over a test clock (issue 17 point 7): invoiced raw usage dropped after its retention, a cancelled
 * customer erased after the tenant's retention period except what tax law keeps, the books unchanged, everything
 * exportable before and after, and erasure audited.
 */
class DataLifecycleTest {
    private static final String VOICE = """
            name: voice
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [direction] }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: pro
                product: voice
                name: Pro
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Pro, monthly_price: { USD: "49.00" } }
                  - type: metered
                    code: minutes
                    metric: call_seconds
                    allowances: [{ quantity: 60 }]
                    pricing: { model: per_unit, unit_price: { USD: "0.12" }, per_units: 60 }
            """;
    /** What the books hold about a customer: none of it may change when the customer is erased. */
    private static final List<String> BOOKS = List.of(
            "SELECT to_jsonb(i) FROM invoices i WHERE tenant_id = :t AND customer_id = :c ORDER BY id",
            "SELECT to_jsonb(l) FROM invoice_lines l JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id "
                    + "WHERE i.tenant_id = :t AND i.customer_id = :c ORDER BY l.invoice_id, l.line_no",
            "SELECT to_jsonb(p) FROM payments p WHERE tenant_id = :t AND customer_id = :c ORDER BY id",
            "SELECT to_jsonb(b) FROM billed_usage b JOIN subscriptions s ON s.tenant_id = b.tenant_id AND s.id = b.subscription_id "
                    + "WHERE s.tenant_id = :t AND s.customer_id = :c ORDER BY b.charge_code, b.window_start, b.seq",
            "SELECT to_jsonb(d) FROM usage_daily d JOIN subscriptions s ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id "
                    + "WHERE s.tenant_id = :t AND s.customer_id = :c ORDER BY d.day, d.dimension_key",
            "SELECT to_jsonb(e) - 'id' FROM customer_credit_entries e WHERE tenant_id = :t AND customer_id = :c ORDER BY created_at");
    private final Jdbi jdbi = TestNode.get().accrue().database().jdbi();
    private final DataLifecycle lifecycle = TestNode.get().accrue().services().dataLifecycle();

    @Test
    void invoicedUsageIsDroppedAndACancelledCustomerErasedAfterRetentionWithTheBooksIntact() throws IOException {
        Sandbox s = new Sandbox("retention", VOICE, "2026-06-01T08:00:00Z");
        String tenant = s.tenant.id();
        String c = s.customer("Leaving Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();

        // retention: defaults, a refusal that changes nothing, then the tenant's own
        assertThat(s.api.get("/v1/tenant/data_retention").json().path("customer_days_after_cancellation").asInt()).isEqualTo(90);
        var refused = s.api.send("PUT", "/v1/tenant/data_retention", Map.of("customer_days_after_cancellation", 10));
        assertThat(refused.code()).isEqualTo("validation_failed");
        assertThat(s.api.send("PUT", "/v1/tenant/data_retention", Map.of("usage_days_after_invoiced", 0, "customer_days_after_cancellation", 30))
                .json().path("customer_days_after_cancellation").asInt()).isEqualTo(30);
        assertThat(s.api.get("/v1/tenant/data_retention").json().path("usage_days_after_invoiced").asInt()).isZero();

        s.advanceTo("2026-06-15T12:00:00Z");
        for (int day = 10; day <= 12; day++) {
            var accepted = s.api.post("/v1/events", Map.of("event_id", "call-" + day, "customer_id", c, "metric", "call_seconds",
                    "timestamp", "2026-06-" + day + "T09:00:00Z", "properties", Map.of("duration_seconds", 120, "direction", "outbound")));
            assertThat(accepted.text("status")).as(accepted.body()).isEqualTo("accepted");
        }

        // the export before anything is dropped: JSON and a ZIP of CSV files, table by table
        JsonNode before = export(s, c);
        assertThat(before.path("object").asText()).isEqualTo("customer_export");
        assertThat(before.at("/tables/customers/0/billing_emails")).isNotEmpty();
        assertThat(before.at("/tables/usage_events")).hasSize(3);
        assertThat(before.at("/tables/subscriptions/0/id").asText()).isEqualTo(sub);
        assertThat(before.at("/tables/invoices")).isNotEmpty();
        Map<String, List<String>> csv = exportCsv(s, c);
        assertThat(csv).containsKeys("customers.csv", "subscriptions.csv", "invoices.csv", "invoice_lines.csv", "usage_events.csv");
        assertThat(csv.get("usage_events.csv")).hasSize(4); // a header and three events
        assertThat(csv.get("usage_events.csv").getFirst()).startsWith("tenant_id,event_id,customer_id,subscription_id,metric,occurred_at");
        assertThat(String.join("\n", csv.get("customers.csv"))).contains("Leaving Co");
        assertThat(s.api.get("/v1/customers/" + c + "/export?format=xml").code()).isEqualTo("validation_failed");
        assertThat(TestNode.get().newTenant("stranger").api().get("/v1/customers/" + c + "/export").status()).isEqualTo(404);

        // cancelled at period end; the final usage window is invoiced on July 1st; the customer pays what is owed
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/cancel", Map.of("reason", "closing")).status()).isEqualTo(200);
        s.advanceTo("2026-07-02T08:00:00Z");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("ended");
        payEverything(s, c);
        List<List<String>> books = books(tenant, c);
        assertThat(books.getFirst()).hasSizeGreaterThanOrEqualTo(2);

        // 25 days on: the usage is past the lateness window and was invoiced — dropped but for the latest event
        // (a time-weighted metric's level); the customer is still inside its 30 days
        s.advanceTo("2026-07-25T08:00:00Z");
        lifecycle.sweep();
        JsonNode mid = export(s, c);
        assertThat(mid.at("/tables/usage_events")).hasSize(1);
        assertThat(mid.at("/tables/usage_events/0/event_id").asText()).isEqualTo("call-12");
        assertThat(mid.at("/tables/customers/0/billing_emails")).isNotEmpty();
        assertThat(books(tenant, c)).isEqualTo(books);

        // 31 days after the end: erased — but not while a table holding customers' rows has no erasure rule
        s.advanceTo("2026-08-01T08:00:00Z");
        // a webhook delivery of one of the customer's events (its payload a copy of the event, naming no customer)
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO webhook_endpoints (tenant_id, id, url, event_types, enabled, secret, created_at, updated_at)
                VALUES (?, 'we_erasure_probe', 'https://hooks.example/accrue', '{}', false, 'whsec_probe', now(), now())""", tenant));
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, object_id, position_tx, position_seq, payload,
                                                status, next_attempt_at, created_at)
                SELECT tenant_id, 'wdl_erasure_probe', 'we_erasure_probe', id, type, object_id, tx_id, sequence, data::text, 'delivered', now(), now()
                FROM domain_events WHERE tenant_id = ? AND customer_id = ? ORDER BY sequence LIMIT 1""", tenant, c));
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, attempted_at, outcome, status_code, duration_ms)
                VALUES (?, 'wdl_erasure_probe', 1, now(), 'delivered', 200, 5)""", tenant));
        jdbi.useHandle(h -> h.execute("CREATE TABLE retention_probe (tenant_id text, customer_id text)"));
        try {
            assertThat(lifecycle.sweep().customersFailed()).isPositive();
            assertThat(s.api.get("/v1/customers/" + c).json().path("billing_emails")).isNotEmpty();
        } finally {
            jdbi.useHandle(h -> h.execute("DROP TABLE retention_probe"));
        }
        assertThat(lifecycle.sweep().customersErased()).isPositive();
        int probes = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = :t AND id = 'wdl_erasure_probe'")
                .bind("t", tenant).mapTo(Integer.class).one());
        assertThat(probes).as("the webhook delivery copying the customer's event").isZero();

        JsonNode customer = s.api.get("/v1/customers/" + c).json();
        assertThat(customer.path("billing_emails")).isEmpty();
        assertThat(customer.path("legal_name").asText()).isEqualTo("Leaving Co"); // the kept invoices show it (tax law)
        assertThat(books(tenant, c)).isEqualTo(books);
        JsonNode after = export(s, c);
        assertThat(after.at("/tables/usage_events")).isEmpty();
        assertThat(after.at("/tables/invoices")).hasSize(books.getFirst().size());
        assertThat(after.at("/tables/payments")).isNotEmpty();
        assertThat(after.at("/tables/customers/0/erased_at").isNull()).isFalse();
        // invoices still read whole, with their totals
        for (JsonNode invoice : s.api.get("/v1/invoices?customer_id=" + c).json().path("data")) {
            assertThat(s.api.get("/v1/invoices/" + invoice.path("id").asText()).json().path("total").asText()).isEqualTo(invoice.path("total").asText());
        }
        // audited, and the audit trail no longer carries the emails
        JsonNode audit = s.api.get("/v1/audit_events?object_id=" + c).json().path("data");
        List<String> actions = new ArrayList<>();
        audit.forEach(e -> actions.add(e.path("action").asText()));
        assertThat(actions).contains("customer.erased", "customer.created");
        assertThat(audit.toString()).doesNotContain("@");
        // a later sweep finds nothing more to do for this customer
        int erasedEntries = audit.size();
        lifecycle.sweep();
        assertThat(s.api.get("/v1/audit_events?object_id=" + c).json().path("data").size()).isEqualTo(erasedEntries);
    }

    private static JsonNode export(Sandbox s, String customer) {
        var r = s.api.get("/v1/customers/" + customer + "/export");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Map<String, List<String>> exportCsv(Sandbox s, String customer) throws IOException {
        var file = s.api.getFile("/v1/customers/" + customer + "/export?format=csv");
        assertThat(file.status()).as(file.toString()).isEqualTo(200);
        assertThat(file.header("content-type")).startsWith("application/zip");
        Map<String, List<String>> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file.body()), StandardCharsets.UTF_8)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                files.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        return files;
    }

    private static void payEverything(Sandbox s, String customer) {
        for (JsonNode invoice : s.api.get("/v1/invoices?customer_id=" + customer).json().path("data")) {
            String due = invoice.path("amount_due").asText();
            if (invoice.path("status").asText().equals("finalized") && !due.matches("0(\\.0+)?")) {
                var paid = s.api.post("/v1/invoices/" + invoice.path("id").asText() + "/payments",
                        Map.of("amount", due, "currency", "USD", "method", "bank_transfer", "reference", "TRF-" + invoice.path("number").asText()));
                assertThat(paid.status()).as(paid.body()).isEqualTo(201);
            }
        }
    }

    private List<List<String>> books(String tenant, String customer) {
        return jdbi.withHandle(h -> BOOKS.stream()
                .map(sql -> h.createQuery(sql).bind("t", tenant).bind("c", customer).mapTo(String.class).list()).toList());
    }
}

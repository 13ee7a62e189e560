package dev.accrue.server.db;

import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration V90 renames the legs of forwarded calls stored under the old scheme (<id>:in, <id>:out) to the new
 * one (<id>, <id>#out), so a retry of such a call after the upgrade is still a duplicate; it leaves alone
 * events a customer named like that, and pairs whose new id a customer's own event already holds.
 */
class ForwardedLegIdsMigrationTest {
    private static final String TENANT = "ten_v90_legacy_legs";

    @Test
    void legacyLegsOfForwardedCallsTakeTheNewIds() throws Exception {
        Jdbi db = TestNode.get().accrue().database().jdbi();
        db.useHandle(h -> {
            insert(h, "call-1:in", "2026-06-20T11:00:00Z", "{\"direction\": \"inbound\", \"duration_seconds\": 60}");
            insert(h, "call-1:out", "2026-06-20T11:00:00Z", "{\"direction\": \"outbound\", \"destination\": \"+33612345678\", \"duration_seconds\": 60}");
            // the customer's own events named like legs, without a destination: not a forwarded call
            insert(h, "mine:in", "2026-06-20T11:00:00Z", "{\"direction\": \"inbound\", \"duration_seconds\": 5}");
            insert(h, "mine:out", "2026-06-20T11:00:00Z", "{\"direction\": \"outbound\", \"duration_seconds\": 5}");
            // a forwarded call whose id the customer also used for an event of its own: left as it was
            insert(h, "both", "2026-06-20T10:00:00Z", "{\"direction\": \"inbound\", \"duration_seconds\": 1}");
            insert(h, "both:in", "2026-06-20T11:00:00Z", "{\"direction\": \"inbound\", \"duration_seconds\": 60}");
            insert(h, "both:out", "2026-06-20T11:00:00Z", "{\"direction\": \"outbound\", \"destination\": \"+33612345678\", \"duration_seconds\": 60}");
        });
        String migration;
        try (InputStream in = getClass().getResourceAsStream("/db/migration/V90__forwarded_call_leg_ids.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        db.useTransaction(h -> {
            try (var statement = h.getConnection().createStatement()) {
                statement.execute(migration);
            }
        });
        List<String> ids = db.<List<String>, RuntimeException>withHandle(h -> h.createQuery("SELECT event_id FROM usage_events WHERE tenant_id = :t ORDER BY event_id")
                .bind("t", TENANT).mapTo(String.class).list());
        assertThat(ids).containsExactly("both", "both:in", "both:out", "call-1", "call-1#out", "mine:in", "mine:out");
    }

    private static void insert(org.jdbi.v3.core.Handle h, String id, String at, String properties) {
        h.createUpdate("""
                        INSERT INTO usage_events (tenant_id, event_id, customer_id, subscription_id, metric, occurred_at, day, quantity, dimension_key,
                                                  counted, properties, received_at)
                        VALUES (:t, :id, 'cus_v90', 'sub_v90', 'call_seconds', CAST(:at AS timestamptz), '2026-06-20', 60, '', true,
                                CAST(:props AS jsonb), now())""")
                .bind("t", TENANT).bind("id", id).bind("at", at).bind("props", properties).execute();
    }
}

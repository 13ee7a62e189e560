package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.metering.IngestionLookups;
import dev.accrue.core.metering.RawEvent;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ingestion remembers its customers' rows for a moment (IngestionLookups, issue 18): a change made through this node is
 * seen by its next batch, one made by another node within {@link IngestionLookups#REMEMBER}, and a refusal for want of a
 * subscription is never answered from remembered rows.
 */
class IngestionLookupsTest {
    static final String CATALOG = """
            name: lookups
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
                  - { type: metered, code: minutes, metric: call_seconds, pricing: { model: per_unit, unit_price: { USD: "0.01" } } }
            """;
    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void aSubscriptionEndedThroughThisNodeRefusesTheVeryNextBatch() {
        Sandbox s = new Sandbox("lookups here", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Caller", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        assertThat(send(s, c).get("status").asText()).isEqualTo("accepted"); // the customer's rows are now remembered
        // any statement of this node's (here one outside every use case) that writes subscriptions is watched
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.createUpdate("UPDATE subscriptions SET ended_on = DATE '2026-06-01' WHERE id = :id")
                .bind("id", sub).execute());
        JsonNode refused = send(s, c);
        assertThat(refused.get("status").asText()).isEqualTo("rejected");
        assertThat(refused.get("code").asText()).isEqualTo("no_active_subscription");
    }

    @Test
    void anotherNodesChangeIsSeenWithinTheBoundAndARefusalIsNeverAnsweredFromMemory() throws Exception {
        Sandbox s = new Sandbox("lookups elsewhere", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Caller", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        assertThat(send(s, c).get("status").asText()).isEqualTo("accepted");
        long ended = System.nanoTime();
        otherNode("UPDATE subscriptions SET ended_on = DATE '2026-06-01' WHERE id = '" + sub + "'");
        // until this node sees it, a batch is accepted as if validated just before the change (the race every batch runs
        // between its validation and its commit); not asserted: any write of this node's in between makes it seen at once
        JsonNode result;
        do {
            Thread.sleep(50);
            result = send(s, c);
        } while (result.get("status").asText().equals("accepted") && System.nanoTime() - ended < 10_000_000_000L);
        long seenAfterMillis = (System.nanoTime() - ended) / 1_000_000;
        assertThat(result.get("code").asText()).isEqualTo("no_active_subscription");
        assertThat(seenAfterMillis).as("the other node's change unseen for %d ms", seenAfterMillis)
                .isLessThanOrEqualTo(IngestionLookups.REMEMBER.toMillis() + 500);

        // the rows just read say "ended"; the other node reopens it: the next refusal reads them again instead of trusting them
        otherNode("UPDATE subscriptions SET ended_on = NULL WHERE id = '" + sub + "'");
        assertThat(send(s, c).get("status").asText()).isEqualTo("accepted");
    }

    @Test
    void whatACallersTransactionReadIsNotRememberedPastItsRollback() {
        Sandbox s = new Sandbox("lookups rolled back", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Caller", "USD", "UTC");
        s.subscribe(Map.of("customer_id", c, "plan", "pro"));
        assertThat(send(s, c).get("status").asText()).isEqualTo("accepted"); // settings and rows remembered
        var services = TestNode.get().accrue().services();
        // a caller's transaction lowers the tenant's largest event quantity, ingests (validated on what it wrote), rolls back
        assertThatThrownBy(() -> services.tx().inTransaction(() -> {
            services.tx().handle().createUpdate("UPDATE tenants SET max_event_quantity = 1 WHERE id = :id").bind("id", s.tenant.id()).execute();
            var inside = services.metering().ingest(Caller.operator(s.tenant.id()), List.of(new RawEvent("inside-" + ids.incrementAndGet(), c,
                    "call_seconds", "2026-06-01T07:59:00Z", Map.of("duration_seconds", 60))));
            assertThat(inside.results().getFirst().code()).isEqualTo("quantity_too_large");
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        // the next batch, outside, is validated on the committed settings: never on what the rolled-back transaction read
        assertThat(send(s, c).get("status").asText()).isEqualTo("accepted");
    }

    /** A write no statement customizer of this node sees, as another node's would be. */
    private static void otherNode(String sql) throws SQLException {
        try (Handle h = TestNode.get().accrue().database().jdbi().open(); Statement st = h.getConnection().createStatement()) {
            assertThat(st.executeUpdate(sql)).isEqualTo(1);
        }
    }

    private JsonNode send(Sandbox s, String customer) {
        var r = s.api.post("/v1/events/batch", Map.of("events", List.of(Map.of("event_id", "call-" + ids.incrementAndGet(), "customer_id", customer,
                "metric", "call_seconds", "timestamp", "2026-06-01T07:59:00Z", "properties", Map.of("duration_seconds", 60)))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().at("/results/0");
    }
}

package dev.accrue.server.metering;

import dev.accrue.adapters.postgres.PostgresUsagePartitions;
import dev.accrue.app.lifecycle.UsagePartitionRepository;
import dev.accrue.app.lifecycle.UsagePartitioning;
import dev.accrue.server.Services;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * usage_events partitioned by month of the event's day (issue 18 point 5): de-duplication stays exact across
 * partitions, the job creates month partitions (moving what waited in the default partition), an old month is
 * compacted to what the retention rule keeps with the ids of what went, and V375 converts an existing table.
 */
class UsagePartitionsTest {
    private static final String VOICE = """
            name: voice
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [direction] }
              - { code: seats, aggregation: persistent, field: user_id, unit: seat }
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
                  - { type: metered, code: minutes, metric: call_seconds, pricing: { model: per_unit, unit_price: { USD: "0.12" }, per_units: 60 } }
                  - { type: metered, code: seat_fees, metric: seats, pricing: { model: per_unit, unit_price: { USD: "10.00" } } }
            """;
    private final Services services = TestNode.get().accrue().services();
    private final Jdbi jdbi = TestNode.get().accrue().database().jdbi();
    private final UsagePartitionRepository partitions = new PostgresUsagePartitions(services.tx());

    @Test
    void aMonthGetsItsPartitionAndIsCompactedToWhatRetentionKeeps() {
        Sandbox s = new Sandbox("partitions", VOICE, "2026-04-01T08:00:00Z");
        String tenant = s.tenant.id();
        s.api.send("PUT", "/v1/tenant/data_retention", Map.of("usage_days_after_invoiced", 0));
        String c = s.customer("Partitioned Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        s.advanceTo("2026-04-15T12:00:00Z");
        for (int day = 10; day <= 12; day++) {
            assertThat(call(s, c, "call-" + day, "2026-04-" + day + "T09:00:00Z")).isEqualTo("accepted");
        }
        assertThat(s.api.post("/v1/events", Map.of("event_id", "seat-alice", "customer_id", c, "metric", "seats", "timestamp", "2026-04-02T00:00:00Z",
                "properties", Map.of("user_id", "alice", "operation", "add"))).text("status")).isEqualTo("accepted");
        // an id is used up whatever the event: the same id on another day is a duplicate
        assertThat(call(s, c, "call-10", "2026-04-14T09:00:00Z")).isEqualTo("duplicate");

        // the job's run on April 20th creates March to May (one month ahead); April's rows leave the default partition
        var run = new UsagePartitioning(services.tx(), partitions, Clock.fixed(Instant.parse("2026-04-20T00:00:00Z"), ZoneOffset.UTC), 1).maintain();
        assertThat(run.created()).contains(LocalDate.parse("2026-04-01"));
        assertThat(services.tx().inTransaction(() -> partitions.createMonth(LocalDate.parse("2026-04-01")))).isFalse();
        assertThat(partitionsOf(tenant)).containsOnly("usage_events_2026_04");
        // still exact in the new partition, and corrections find the event through its id's day
        assertThat(call(s, c, "call-11", "2026-04-11T09:00:00Z")).isEqualTo("duplicate");
        assertThat(s.api.send("PATCH", "/v1/events/call-11", Map.of("properties", Map.of("duration_seconds", 60, "direction", "outbound"))).status())
                .isEqualTo(200);
        assertThat(call(s, c, "call-13", "2026-04-13T09:00:00Z")).isEqualTo("accepted");
        assertThat(partitionsOf(tenant)).containsOnly("usage_events_2026_04");
        assertThat(services.tx().inTransaction(() -> partitions.dueForCompaction(Instant.parse("2026-04-20T00:00:00Z")))).doesNotContain("usage_events_2026_04");

        // April is invoiced on May 1st; past the lateness (35 days) and the retention (0 days) the month is compacted
        s.advanceTo("2026-06-01T08:00:00Z");
        String daily = s.api.get("/v1/subscriptions/" + sub + "/usage/daily?metric=call_seconds&from=2026-04-01&to=2026-05-01").body();
        var compaction = services.tx().inTransaction(() -> partitions.compact("usage_events_2026_04", Instant.parse("2026-06-01T08:00:00Z")));
        assertThat(compaction.dropped()).isGreaterThanOrEqualTo(3);
        // what stays: the latest call (a level carried into the next window) and the seat (a unit is held until removed)
        assertThat(eventIds("usage_events", tenant)).containsExactly("call-13", "seat-alice");
        assertThat(eventIds("usage_event_ids", tenant)).containsExactly("call-13", "seat-alice");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage/daily?metric=call_seconds&from=2026-04-01&to=2026-05-01").body()).isEqualTo(daily);
        // a replay of a dropped event is refused as too late, never counted again
        assertThat(s.api.post("/v1/events", Map.of("event_id", "call-12", "customer_id", c, "metric", "call_seconds", "timestamp", "2026-04-12T09:00:00Z",
                "properties", Map.of("duration_seconds", 120, "direction", "outbound"))).code()).isEqualTo("event_too_late");
        // compacted once; a later month still to come is not due
        assertThat(services.tx().inTransaction(() -> partitions.dueForCompaction(Instant.parse("2031-01-01T00:00:00Z"))))
                .doesNotContain("usage_events_2026_04").contains("usage_events_2026_05");
    }

    @Test
    void migrationV375ConvertsAnExistingTableRowForRow() throws Exception {
        String migration;
        try (InputStream in = getClass().getResourceAsStream("/db/migration/V375__usage_events_partitioned.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // the table as it was before V375, in a schema of its own, with rows of last year, this month and a test clock's
        jdbi.useHandle(h -> {
            h.execute("DROP SCHEMA IF EXISTS v375 CASCADE");
            h.execute("CREATE SCHEMA v375");
            h.execute("CREATE TABLE v375.usage_events (LIKE public.usage_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            h.execute("ALTER TABLE v375.usage_events ADD CONSTRAINT usage_events_pkey PRIMARY KEY (tenant_id, event_id)");
            h.execute("CREATE INDEX usage_events_units ON v375.usage_events (tenant_id, subscription_id, metric, occurred_at) WHERE unit_op IS NOT NULL");
            h.execute("""
                    INSERT INTO v375.usage_events (tenant_id, event_id, customer_id, subscription_id, metric, occurred_at, day, quantity, dimension_key,
                                                   counted, properties, received_at)
                    SELECT 'ten_v375', 'e-' || i, 'cus_v375', 'sub_v375', 'call_seconds', d + interval '9 hours', d, i, '', true, '{}', now()
                    FROM generate_series(1, 300) i,
                         LATERAL (SELECT (CASE i % 3 WHEN 0 THEN current_date - 400 WHEN 1 THEN current_date ELSE DATE '2031-02-03' END) AS d) x""");
        });
        List<String> before = jdbi.withHandle(h -> h.createQuery("SELECT CAST(to_jsonb(e) AS text) FROM v375.usage_events e ORDER BY event_id").mapTo(String.class).list());
        jdbi.useTransaction(h -> {
            h.execute("SET LOCAL search_path TO v375");
            try (var statement = h.getConnection().createStatement()) {
                statement.execute(migration);
            }
        });
        try {
            List<String> after = jdbi.withHandle(h -> h.createQuery("SELECT CAST(to_jsonb(e) AS text) FROM v375.usage_events e ORDER BY event_id").mapTo(String.class).list());
            assertThat(after).isEqualTo(before);
            assertThat(scalar("SELECT count(*) FROM v375.usage_event_ids")).isEqualTo("300");
            List<String> holding = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT tableoid::regclass::text FROM v375.usage_events ORDER BY 1")
                    .mapTo(String.class).list());
            String lastYear = LocalDate.now(ZoneOffset.UTC).minusDays(400).toString().substring(0, 7).replace('-', '_');
            String thisMonth = LocalDate.now(ZoneOffset.UTC).toString().substring(0, 7).replace('-', '_');
            assertThat(holding).containsExactlyInAnyOrder("v375.usage_events_" + lastYear, "v375.usage_events_" + thisMonth, "v375.usage_events_2031_02");
            assertThat(scalar("SELECT relkind::text FROM pg_class WHERE oid = 'v375.usage_events'::regclass")).isEqualTo("p");
        } finally {
            jdbi.useHandle(h -> h.execute("DROP SCHEMA v375 CASCADE"));
        }
    }

    private String scalar(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }

    private static String call(Sandbox s, String customer, String id, String at) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", at,
                "properties", Map.of("duration_seconds", 120, "direction", "outbound")));
        return r.text("status");
    }

    private List<String> partitionsOf(String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT tableoid::regclass::text FROM usage_events WHERE tenant_id = :t")
                .bind("t", tenant).mapTo(String.class).list());
    }

    private List<String> eventIds(String table, String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT event_id FROM " + table + " WHERE tenant_id = :t ORDER BY event_id")
                .bind("t", tenant).mapTo(String.class).list());
    }
}

package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.adapters.postgres.PostgresBilledUsage;
import dev.accrue.adapters.postgres.PostgresIngestionRows;
import dev.accrue.adapters.postgres.PostgresSubscriptions;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookups by a list of ids that every call's end and usage batch runs (a call's customers' subscriptions, clocks,
 * prepaid accounts and billed-window ends) probe an index per id, whatever plan PostgreSQL caches for the statement. A plain join on the unnested
 * ids, under the generic plan of a database holding one tenant of a few thousand rows (a business running Accrue for
 * itself), read all of them for each call's end: the generic plan guesses 10 ids, and for a table that small a hash join
 * over all of it looks as cheap as ten probes. The lateral, {@code OFFSET 0} form of these statements leaves the planner
 * no such join to choose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdLookupPlanTest {
    private static final int COPIES = 2_000;
    private final Jdbi jdbi = TestNode.get().accrue().database().jdbi();
    private String tenant;
    private String customer;
    private String subscription;

    @BeforeAll
    void oneCustomerWithASubscription() {
        Sandbox s = new Sandbox("lookup plan", IngestionLookupsTest.CATALOG, "2026-06-01T08:00:00Z");
        customer = s.customer("Template", "USD", "UTC");
        subscription = s.subscribe(Map.of("customer_id", customer, "plan", "pro")).get("id").asText();
        tenant = s.tenant.id();
    }

    @Test
    void aFewCustomersSubscriptionsAreProbedNotScanned() throws Exception {
        assertProbed(PostgresSubscriptions.FOR_CUSTOMERS, Map.of("customers", "$1", "tenant", "$2"),
                new Copies("subscriptions", "customer_id", subscription, COPY_SUBSCRIPTIONS));
    }

    @Test
    void aFewCustomersRowsAreProbedNotScanned() throws Exception {
        assertProbed(PostgresIngestionRows.CUSTOMERS, Map.of("customers", "$1", "tenant", "$2"),
                new Copies("customers", "id", customer, COPY_CUSTOMERS));
    }

    /**
     * The billed-window ends of a call's customers: their subscriptions, then each one's billed windows, both by index. (Under
     * these statistics a plain join of the three is probed too; a key the index cannot use is what this catches.)
     */
    @Test
    void aFewCustomersBilledWindowsAreProbedNotScanned() throws Exception {
        assertProbed(PostgresIngestionRows.BILLED_THROUGH,
                Map.of("customers", "$1", "tenant", "$2", "every_charge", literal(PostgresBilledUsage.EVERY_CHARGE)),
                new Copies("subscriptions", "customer_id", subscription, COPY_SUBSCRIPTIONS),
                new Copies("billed_usage", "subscription_id", subscription, COPY_BILLED_WINDOWS));
    }

    private static final String COPY_SUBSCRIPTIONS = """
            INSERT INTO pg_temp.subscriptions SELECT (jsonb_populate_record(s, jsonb_build_object('id', s.id || '_' || g,
                'customer_id', s.customer_id || '_' || g))).*
            FROM public.subscriptions s, generate_series(1, :n) g WHERE s.tenant_id = :t AND s.id = :id""";

    /** A year of billed monthly windows for each copy of the template subscription, two charges each. */
    private static final String COPY_BILLED_WINDOWS = """
            INSERT INTO pg_temp.billed_usage (tenant_id, subscription_id, charge_code, metric, cadence, window_start, window_end,
                                              seq, document_id, quantity, amount, created_at)
            SELECT :t, :id || '_' || g, c.code, c.metric, 'period', CAST(DATE '2025-06-01' + make_interval(months => m) AS date),
                   CAST(DATE '2025-07-01' + make_interval(months => m) AS date), 0, 'doc_' || g || '_' || m, 60, 1, now()
            FROM generate_series(1, :n) g, generate_series(0, 11) m,
                 (VALUES ('voice_minutes', 'call_seconds'), ('*', '*')) AS c(code, metric)""";

    /** Copies of the template customer, all postpaid but one (a rare value: PostgreSQL's estimate of it is near zero). */
    private static final String COPY_CUSTOMERS = """
            INSERT INTO pg_temp.customers SELECT (jsonb_populate_record(c, jsonb_build_object('id', c.id || '_' || g,
                'external_id', NULL, 'account_type', CASE WHEN g = 7 THEN 'prepaid' ELSE 'postpaid' END))).*
            FROM public.customers c, generate_series(1, :n) g WHERE c.tenant_id = :t AND c.id = :id""";

    /** A temporary table of {@code table}'s name holding copies of one row, and the key its reads must probe. */
    private record Copies(String table, String key, String templateId, String sql) {
    }

    /**
     * Plans {@code statement} for three customers under the generic plan, each table of {@code copies} replaced by the copies of
     * its one template row, and requires every node reading one of those tables to be an index scan on its key. The statement's
     * named parameters are replaced as {@code positions} says: the positional ones of a PREPARE ({@code $1} the ids, {@code $2}
     * the tenant) or a literal.
     */
    private void assertProbed(String statement, Map<String, String> positions, Copies... copies) throws Exception {
        // the copies of a template row belong to the customers customer_1 … customer_COPIES
        List<String> three = List.of(customer + "_7", customer + "_500", customer + "_1999");
        JsonNode plan = jdbi.withHandle(h -> {
            // the suite's database holds many tenants; a temporary table of the same name, searched first, holds copies of
            // this tenant's one row only, with the statistics a one-tenant database has
            try {
                for (Copies c : copies) {
                    h.execute("CREATE TEMP TABLE " + c.table() + " (LIKE public." + c.table() + " INCLUDING ALL)");
                    h.createUpdate(c.sql()).bind("n", COPIES).bind("t", tenant).bind("id", c.templateId()).execute();
                    h.execute("ANALYZE pg_temp." + c.table());
                }
                h.execute("SET plan_cache_mode = force_generic_plan");
                String prepared = statement;
                for (Map.Entry<String, String> p : positions.entrySet()) {
                    prepared = prepared.replace(":" + p.getKey(), p.getValue());
                }
                h.execute("PREPARE lookup_plan_test(text[], text) AS " + prepared);
                // EXPLAIN takes no bound parameters: the (generated, quote-free) ids are written into the statement
                String args = "(ARRAY[" + String.join(", ", three.stream().map(IdLookupPlanTest::literal).toList()) + "], "
                        + literal(tenant) + ")";
                String explained = h.createQuery("EXPLAIN (FORMAT JSON) EXECUTE lookup_plan_test" + args).mapTo(String.class).one();
                assertThat(h.createQuery("EXECUTE lookup_plan_test" + args).mapToMap().list()).as(statement).isNotEmpty();
                return new ObjectMapper().readTree(explained);
            } finally {
                cleanUp(h, copies);
            }
        });
        for (Copies c : copies) {
            List<JsonNode> reads = new ArrayList<>();
            collect(plan.get(0).get("Plan"), c.table(), reads);
            assertThat(reads).as(plan.toPrettyString()).isNotEmpty().allSatisfy(node -> {
                assertThat(node.path("Node Type").asText()).isIn("Index Scan", "Index Only Scan");
                assertThat(node.path("Index Cond").asText()).contains("(" + c.key() + " = "); // not only "(tenant_id = …)"
            });
        }
    }

    private static void cleanUp(Handle h, Copies... copies) {
        h.execute("DEALLOCATE ALL");
        h.execute("RESET plan_cache_mode");
        for (Copies c : copies) {
            h.execute("DROP TABLE IF EXISTS pg_temp." + c.table());
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Every plan node that reads {@code table}. */
    private static void collect(JsonNode node, String table, List<JsonNode> into) {
        if (table.equals(node.path("Relation Name").asText())) {
            into.add(node);
        }
        for (JsonNode child : node.path("Plans")) {
            collect(child, table, into);
        }
    }
}

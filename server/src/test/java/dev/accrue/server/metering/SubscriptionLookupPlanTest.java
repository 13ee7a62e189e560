package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.adapters.postgres.PostgresSubscriptions;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscriptions of a call's customers (read when call ends and usage batches are validated) are found by probing the
 * customer index, whatever plan PostgreSQL caches for the statement. A plain join on the unnested ids, under the generic
 * plan of a database holding one tenant of a thousand subscriptions (a business running Accrue for itself), read all
 * of them for each call's end.
 */
class SubscriptionLookupPlanTest {
    private static final int COPIES = 1_000;
    private final Jdbi jdbi = TestNode.get().accrue().database().jdbi();

    @Test
    void aFewCustomersOfTheOnlyTenantOfAThousandAreProbedNotScannedUnderTheGenericPlan() throws Exception {
        Sandbox s = new Sandbox("lookup plan", IngestionLookupsTest.CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Template", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        String tenant = s.tenant.id();
        List<String> three = List.of(c + "_7", c + "_500", c + "_999");

        JsonNode plan = jdbi.withHandle(h -> {
            // the suite's database holds many tenants; a temporary table of the same name, searched first, holds this one's
            // rows only, with the statistics a one-tenant database has: copies of its subscription for a thousand customers
            h.execute("CREATE TEMP TABLE subscriptions (LIKE public.subscriptions INCLUDING ALL)");
            try {
                h.createUpdate("""
                        INSERT INTO pg_temp.subscriptions SELECT (jsonb_populate_record(s, jsonb_build_object('id', s.id || '_' || g,
                            'customer_id', s.customer_id || '_' || g))).*
                        FROM public.subscriptions s, generate_series(1, :n) g WHERE s.tenant_id = :t AND s.id = :s""")
                        .bind("n", COPIES).bind("t", tenant).bind("s", sub).execute();
                h.execute("ANALYZE pg_temp.subscriptions");
                h.execute("SET plan_cache_mode = force_generic_plan");
                h.execute("PREPARE lookup_plan_test(text[], text) AS "
                        + PostgresSubscriptions.FOR_CUSTOMERS.replace(":customers", "$1").replace(":tenant", "$2"));
                // EXPLAIN takes no bound parameters: the (generated, quote-free) ids are written into the statement
                String args = "(ARRAY[" + String.join(", ", three.stream().map(SubscriptionLookupPlanTest::literal).toList()) + "], "
                        + literal(tenant) + ")";
                String explained = h.createQuery("EXPLAIN (FORMAT JSON) EXECUTE lookup_plan_test" + args).mapTo(String.class).one();
                assertThat(h.createQuery("EXECUTE lookup_plan_test" + args).mapToMap().list()).hasSize(3);
                return new ObjectMapper().readTree(explained);
            } finally {
                h.execute("DEALLOCATE ALL");
                h.execute("RESET plan_cache_mode");
                h.execute("DROP TABLE IF EXISTS pg_temp.subscriptions");
            }
        });
        List<JsonNode> onSubscriptions = new ArrayList<>();
        collect(plan.get(0).get("Plan"), onSubscriptions);
        assertThat(onSubscriptions).as(plan.toPrettyString()).isNotEmpty().allSatisfy(node -> {
            assertThat(node.path("Node Type").asText()).isEqualTo("Index Scan");
            assertThat(node.path("Index Cond").asText()).contains("customer_id");
        });
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Every plan node that reads the subscriptions table. */
    private static void collect(JsonNode node, List<JsonNode> into) {
        if ("subscriptions".equals(node.path("Relation Name").asText())) {
            into.add(node);
        }
        for (JsonNode child : node.path("Plans")) {
            collect(child, into);
        }
    }
}

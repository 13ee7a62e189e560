package dev.accrue.server.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 11 on the real server over a test clock: catalog version 2 raises Team from 30.00 to 36.00 and Basic from
 * 10.00 to 12.00. The tenant migrates Team on July 1 with 30 days' notice and grandfathers Basic. Team customers are
 * notified when it is decided and move at their first period boundary on or after the later of the date and the notice's
 * end; Basic customers keep paying 10.00.
 */
class PriceMigrationScenarioTest {
    static final String V1 = """
            name: prices
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
              - { code: lite, name: Lite }
            plans:
              - code: team
                product: crm
                name: Team
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00" } }
              - code: basic
                product: lite
                name: Basic
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" } }
            """;
    static final String V2 = V1.replace("version: 1", "version: 2").replace("effective_from: 2020-01-01", "effective_from: 2026-07-01")
            .replace("\"30.00\"", "\"36.00\"").replace("\"10.00\"", "\"12.00\"");

    @Test
    void migratedCustomersMoveAfterNoticeAtTheirBoundaryAndGrandfatheredOnesStay() {
        Sandbox s = new Sandbox("prices", V1, "2026-06-01T08:00:00Z");
        String a = s.customer("Calendar Co", "USD", "UTC");
        String b = s.customer("Loyal Co", "USD", "UTC");
        String c = s.customer("Anniversary Co", "USD", "UTC");
        String subA = s.subscribe(Map.of("customer_id", a, "plan", "team")).get("id").asText();
        String subB = s.subscribe(Map.of("customer_id", b, "plan", "basic")).get("id").asText();
        s.advanceTo("2026-06-10T08:00:00Z");
        String subC = s.subscribe(Map.of("customer_id", c, "plan", "team", "alignment", "anniversary")).get("id").asText();
        s.advanceTo("2026-06-15T08:00:00Z");
        assertThat(s.api.postYaml("/v1/catalog/versions", V2).status()).isEqualTo(201);

        Map<String, Object> migrate = Map.of("plan", "team", "catalog_version", 2, "policy", "migrate", "effective_date", "2026-07-01", "notice_days", 30);
        // noticed June 15, so not before July 15: A's next boundary is Aug 1, C's (anniversary, the 10th) Aug 10
        var preview = s.api.post("/v1/price_migrations/preview", migrate);
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.text("object")).isEqualTo("price_migration_preview");
        assertThat(moves(preview.json())).containsExactly(
                subA + " preview 2026-06-15 2026-08-01 30.00 36.00",
                subC + " preview 2026-06-15 2026-08-10 30.00 36.00");
        var created = s.api.post("/v1/price_migrations", migrate);
        assertThat(created.status()).isEqualTo(201);
        assertThat(moves(created.json())).containsExactly(
                subA + " scheduled 2026-06-15 2026-08-01 30.00 36.00",
                subC + " scheduled 2026-06-15 2026-08-10 30.00 36.00");
        var grandfather = s.api.post("/v1/price_migrations", Map.of("plan", "basic", "catalog_version", 2, "policy", "grandfather"));
        assertThat(grandfather.status()).isEqualTo(201);
        assertThat(moves(grandfather.json())).containsExactly(subB + " grandfathered null null 10.00 10.00");

        // the notice is recorded when decided, one per migrated subscription
        List<String> notices = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT object_id || ' ' || (data->>'moves_on') || ' ' || (data->>'per_period_after') FROM domain_events
                        WHERE tenant_id = :tenant AND type = 'subscription.price_change_scheduled' ORDER BY object_id""")
                .bind("tenant", s.tenant.id()).mapTo(String.class).list());
        assertThat(notices).containsExactlyInAnyOrder(subA + " 2026-08-01 36.00", subC + " 2026-08-10 36.00");

        s.advanceTo("2026-09-11T08:00:00Z");
        assertThat(s.invoices(subA)).containsExactly(
                "2026-06-01 30.00 [recurring base 2026-06-01..2026-07-01 30.00]",
                "2026-07-01 30.00 [recurring base 2026-07-01..2026-08-01 30.00]",
                "2026-08-01 36.00 [recurring base 2026-08-01..2026-09-01 36.00]",
                "2026-09-01 36.00 [recurring base 2026-09-01..2026-10-01 36.00]");
        assertThat(s.invoices(subC)).containsExactly(
                "2026-06-10 30.00 [recurring base 2026-06-10..2026-07-10 30.00]",
                "2026-07-10 30.00 [recurring base 2026-07-10..2026-08-10 30.00]",
                "2026-08-10 36.00 [recurring base 2026-08-10..2026-09-10 36.00]",
                "2026-09-10 36.00 [recurring base 2026-09-10..2026-10-10 36.00]");
        assertThat(s.invoices(subB)).containsExactly(
                "2026-06-01 10.00 [recurring base 2026-06-01..2026-07-01 10.00]",
                "2026-07-01 10.00 [recurring base 2026-07-01..2026-08-01 10.00]",
                "2026-08-01 10.00 [recurring base 2026-08-01..2026-09-01 10.00]",
                "2026-09-01 10.00 [recurring base 2026-09-01..2026-10-01 10.00]");
        assertThat(s.api.get("/v1/subscriptions/" + subA).json().get("catalog_version").asInt()).isEqualTo(2);
        assertThat(s.api.get("/v1/subscriptions/" + subB).json().get("catalog_version").asInt()).isEqualTo(1);
        var after = s.api.get("/v1/price_migrations/" + created.text("id")).json();
        List<String> states = new ArrayList<>();
        after.get("subscriptions").forEach(m -> states.add(m.get("status").asText() + " " + m.get("moved_on").asText() + " "
                + m.get("per_period_before").asText() + " " + m.get("per_period_after").asText()));
        assertThat(states).containsExactly("moved 2026-08-01 30.00 36.00", "moved 2026-08-10 30.00 36.00");
    }

    @Test
    void badDecisionsAreRefusedAndWriteNothing() {
        Sandbox s = new Sandbox("prices", V1, "2026-06-01T08:00:00Z");
        String a = s.customer("Calendar Co", "USD", "UTC");
        s.subscribe(Map.of("customer_id", a, "plan", "team"));
        assertThat(s.api.postYaml("/v1/catalog/versions", V2).status()).isEqualTo(201);
        refused(s, Map.of("catalog_version", 2, "policy", "migrate", "effective_date", "2026-07-01"), "missing_field", "plan");
        refused(s, Map.of("plan", "team", "policy", "migrate", "effective_date", "2026-07-01"), "missing_field", "catalog_version");
        refused(s, Map.of("plan", "team", "catalog_version", 2, "policy", "sometimes"), "validation_failed", "policy");
        refused(s, Map.of("plan", "team", "catalog_version", 2, "policy", "migrate"), "missing_field", "effective_date");
        refused(s, Map.of("plan", "team", "catalog_version", 2, "policy", "migrate", "effective_date", "2026-06-20"), "validation_failed", "effective_date");
        refused(s, Map.of("plan", "team", "catalog_version", 2, "policy", "migrate", "effective_date", "2026-07-01", "notice_days", 400),
                "validation_failed", "notice_days");
        refused(s, Map.of("plan", "team", "catalog_version", 2, "policy", "grandfather", "notice_days", 30), "validation_failed", "notice_days");
        refused(s, Map.of("plan", "team", "catalog_version", 9, "policy", "grandfather"), "not_found", "catalog_version");
        refused(s, Map.of("plan", "gold", "catalog_version", 2, "policy", "grandfather"), "not_found", "plan");
        assertThat(s.api.post("/v1/price_migrations", Map.of("plan", "team", "catalog_version", 2, "policy", "grandfather")).status()).isEqualTo(201);
        var twice = s.api.post("/v1/price_migrations", Map.of("plan", "team", "catalog_version", 2, "policy", "migrate", "effective_date", "2026-07-01"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.text("code")).isEqualTo("already_exists");
    }

    private static void refused(Sandbox s, Map<String, Object> body, String code, String field) {
        var r = s.api.post("/v1/price_migrations", body);
        assertThat(r.text("code")).as(body.toString()).isEqualTo(code);
        assertThat(r.text("field")).as(body.toString()).isEqualTo(field);
    }

    private static List<String> moves(JsonNode migration) {
        List<String> out = new ArrayList<>();
        migration.get("subscriptions").forEach(m -> out.add(m.get("subscription_id").asText() + " " + m.get("status").asText() + " "
                + m.get("notice_on").asText() + " " + m.get("moves_on").asText() + " " + m.get("per_period_before").asText() + " "
                + m.get("per_period_after").asText()));
        return out;
    }
}

package dev.accrue.server.metering;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaTest {
    static final String EMPLOYEES = """
            name: employees
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            features:
              - { code: ai_employees, name: AI employees, type: quota }
            products:
              - { code: ai, name: AI }
            plans:
              - { code: starter, product: ai, name: Starter, tier: 1, intervals: [{ interval: month }],
                  charges: [{ type: recurring, code: base, name: Starter, monthly_price: { USD: "29.00" } }],
                  entitlements: { quotas: { ai_employees: 2 } } }
              - { code: pro, product: ai, name: Pro, tier: 2, intervals: [{ interval: month }],
                  charges: [{ type: recurring, code: base, name: Pro, monthly_price: { USD: "99.00" } }],
                  entitlements: { quotas: { ai_employees: 5 } } }
            """;

    @Test
    void itemsCountAgainstThePlanQuotaAndADowngradeBelowUseIsRefused() {
        Sandbox s = new Sandbox("quotas", EMPLOYEES, "2026-06-01T08:00:00Z");
        String c = s.customer("Robots Inc", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        String base = "/v1/subscriptions/" + sub + "/quotas/ai_employees";
        for (String e : new String[] {"alice", "bob", "carol"}) {
            assertThat(s.api.post(base + "/items", Map.of("item_id", e)).status()).isEqualTo(200);
        }
        assertThat(s.api.get(base).text("display")).isEqualTo("3 of 5 used");
        var down = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "starter"));
        assertThat(down.code()).isEqualTo("quota_exceeded");
        assertThat(down.text("detail")).contains("ai_employees: 3 active, plan starter allows 2; deactivate 1 of [alice, bob, carol]");
        s.api.delete(base + "/items/carol");
        assertThat(s.api.get(base).json().get("used").asInt()).isEqualTo(2);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "starter")).text("timing")).isEqualTo("at_period_end");

        String small = s.subscribe(Map.of("customer_id", s.customer("Small Co", "USD", "UTC"), "plan", "starter")).get("id").asText();
        String smallBase = "/v1/subscriptions/" + small + "/quotas/ai_employees";
        s.api.post(smallBase + "/items", Map.of("item_id", "one"));
        s.api.post(smallBase + "/items", Map.of("item_id", "two"));
        var check = s.api.get(smallBase).json();
        assertThat(check.get("can_add_one").asBoolean()).isFalse();
        assertThat(check.get("upgrade_plan").asText()).isEqualTo("pro");
        var refused = s.api.post(smallBase + "/items", Map.of("item_id", "three"));
        assertThat(refused.code()).isEqualTo("quota_exceeded");
        assertThat(refused.text("detail")).contains("allows 2").contains("plan pro allows more");
        assertThat(s.api.post(smallBase + "/items", Map.of("item_id", "one")).json().get("used").asInt()).isEqualTo(2);
        assertThat(s.api.delete(smallBase + "/items/nobody").code()).isEqualTo("not_found");
    }
}

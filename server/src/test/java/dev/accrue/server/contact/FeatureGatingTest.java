package dev.accrue.server.contact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /v1/customers/{id}/entitlements/{feature}: in the current plan (value / limit), else the cheapest plan with it. */
class FeatureGatingTest {

    @Test
    void saysWhetherTheCurrentPlanHasAFeatureAndOtherwiseTheCheapestPlanThatDoes() {
        Sandbox s = new Sandbox("gating", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Gated Inc", "USD", "UTC");
        String base = "/v1/customers/" + c + "/entitlements/";

        JsonNode none = s.api.get(base + "boosted_queuing").json();
        assertThat(none.get("included").asBoolean()).isFalse();
        assertThat(none.get("plan").isNull()).isTrue();
        assertThat(none.at("/cheapest_plan/code").asText()).isEqualTo("pro");

        s.subscribe(Map.of("customer_id", c, "plan", "starter"));
        JsonNode boosted = s.api.get(base + "boosted_queuing").json();
        assertThat(boosted.get("type").asText()).isEqualTo("boolean");
        assertThat(boosted.get("included").asBoolean()).isFalse();
        assertThat(boosted.get("value").asBoolean()).isFalse();
        assertThat(boosted.get("plan").asText()).isEqualTo("starter");
        assertThat(boosted.at("/cheapest_plan/code").asText()).isEqualTo("pro");
        assertThat(boosted.at("/cheapest_plan/value").asBoolean()).isTrue();

        JsonNode calls = s.api.get(base + "concurrent_calls").json();
        assertThat(calls.get("included").asBoolean()).isTrue();
        assertThat(calls.get("limit").asText()).isEqualTo("1");
        assertThat(calls.get("cheapest_plan").isNull()).isTrue();

        JsonNode tenCalls = s.api.get(base + "concurrent_calls?at_least=10").json();
        assertThat(tenCalls.get("included").asBoolean()).isFalse();
        assertThat(tenCalls.get("limit").asText()).isEqualTo("1");
        assertThat(tenCalls.at("/cheapest_plan/code").asText()).isEqualTo("elite");
        assertThat(tenCalls.at("/cheapest_plan/limit").asText()).isEqualTo("20");

        JsonNode numbers = s.api.get(base + "phone_numbers?at_least=100").json();
        assertThat(numbers.get("type").asText()).isEqualTo("quota");
        assertThat(numbers.get("included").asBoolean()).isFalse();
        assertThat(numbers.get("cheapest_plan").isNull()).as("no plan allows 100").isTrue();

        var unknown = s.api.get(base + "teleportation");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("unknown_feature");
        assertThat(unknown.json().get("field").asText()).isEqualTo("feature");
        assertThat(s.api.get(base + "concurrent_calls?at_least=many").code()).isEqualTo("wrong_type");
        assertThat(s.api.get("/v1/customers/cus_01JZZZZZZZZZZZZZZZZZZZZZZZ/entitlements/concurrent_calls").code()).isEqualTo("not_found");
        // reading is allowed to read-only keys
        assertThat(s.tenant.readOnlyApi().get(base + "concurrent_calls").status()).isEqualTo(200);
    }
}

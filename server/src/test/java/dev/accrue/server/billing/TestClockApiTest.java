package dev.accrue.server.billing;

import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestClockApiTest {

    @Test
    void clocksAreForSandboxesOnlyMoveForwardAndStayInTheirTenant() {
        var live = TestNode.get().newTenant("live clock", TenantMode.LIVE).api();
        var refused = live.post("/v1/test_clocks", Map.of("frozen_time", "2026-01-01T00:00:00Z"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("test_clock_requires_sandbox");

        Sandbox s = new Sandbox("clock rules", Fixtures.CATALOG_V1, "2026-03-01T00:00:00Z");
        var back = s.api.post("/v1/test_clocks/" + s.clockId + "/advance", Map.of("frozen_time", "2026-02-01T00:00:00Z"));
        assertThat(back.code()).isEqualTo("test_clock_backwards");
        assertThat(s.api.get("/v1/test_clocks/" + s.clockId).text("frozen_time")).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(s.api.post("/v1/test_clocks/" + s.clockId + "/advance", Map.of()).code()).isEqualTo("missing_field");

        var other = TestNode.get().newTenant("clock thief").api();
        assertThat(other.get("/v1/test_clocks/" + s.clockId).code()).isEqualTo("not_found");
        var body = Fixtures.customer();
        body.put("test_clock_id", s.clockId);
        var stolen = other.post("/v1/customers", body);
        assertThat(stolen.code()).isEqualTo("not_found");
        assertThat(stolen.text("field")).isEqualTo("test_clock_id");

        String customer = s.customer("On the clock", "USD", "UTC");
        assertThat(s.api.patch("/v1/customers/" + customer, "{\"test_clock_id\": null}").text("field")).isEqualTo("test_clock_id");
    }

    @Test
    void aCustomerWithASubscriptionCannotBeDeleted() {
        Sandbox s = new Sandbox("billed customer", Fixtures.CATALOG_V1, "2026-03-01T00:00:00Z");
        String customer = s.customer("Billed", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customer, "plan", "basic"));
        var refused = s.api.delete("/v1/customers/" + customer);
        assertThat(refused.code()).isEqualTo("customer_has_billing_history");
        assertThat(s.api.get("/v1/customers/" + customer).status()).isEqualTo(200);
    }
}

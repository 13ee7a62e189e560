package dev.accrue.server.billing;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A subscription starts within the tenant's window around today; 1900 and 9999 are refused, naming the bound. */
class StartWindowTest {

    @Test
    void startDatesOutsideTheTenantsWindowAreRefusedAndIssueNothing() {
        Sandbox s = new Sandbox("start window", SubscriptionLifecycleTest.TIERS, "2026-06-15T10:00:00Z");
        String c = s.customer("Window Co", "USD", "UTC");
        var ancient = s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "pro", "start_date", "1900-01-01"));
        assertThat(ancient.status()).isEqualTo(400);
        assertThat(ancient.code()).isEqualTo("validation_failed");
        assertThat(ancient.text("field")).isEqualTo("start_date");
        assertThat(ancient.text("detail")).contains("2025-06-14").contains("start_window.days_back");
        var far = s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "pro", "start_date", "9999-12-31"));
        assertThat(far.text("detail")).contains("2027-06-16").contains("start_window.days_ahead");
        assertThat(s.api.get("/v1/invoices?customer_id=" + c).json().get("data")).isEmpty();
        assertThat(s.api.get("/v1/subscriptions?customer_id=" + c).json().get("data")).isEmpty();

        assertThat(s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "pro", "start_date", "2025-06-13")).code())
                .isEqualTo("validation_failed");
        var widened = s.api.patch("/v1/tenant", Map.of("start_window", Map.of("days_back", 800)));
        assertThat(widened.json().at("/settings/start_window/days_back").asInt()).isEqualTo(800);
        var backdated = s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "pro", "start_date", "2025-06-13"));
        assertThat(backdated.status()).as(backdated.toString()).isEqualTo(201);
        assertThat(s.api.patch("/v1/tenant", Map.of("start_window", Map.of("days_back", 5000))).text("field")).isEqualTo("start_window.days_back");
    }
}

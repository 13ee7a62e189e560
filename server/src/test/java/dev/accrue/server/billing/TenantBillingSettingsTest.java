package dev.accrue.server.billing;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TenantBillingSettingsTest {

    @Test
    void aGracePeriodKeepsInvoicesDraftUntilItPassesThenNumbersThem() {
        Sandbox s = new Sandbox("grace", SubscriptionLifecycleTest.TIERS, "2026-01-01T10:00:00Z");
        var settings = s.api.patch("/v1/tenant", Map.of("invoice_grace_hours", 24));
        assertThat(settings.json().at("/settings/invoice_grace_hours").asInt()).isEqualTo(24);
        String c = s.customer("Grace Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "alignment", "calendar")).get("id").asText();
        var draft = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0");
        assertThat(draft.get("status").asText()).isEqualTo("draft");
        assertThat(draft.get("number").isNull()).isTrue();
        s.advanceTo("2026-01-02T09:00:00Z");
        assertThat(s.api.get("/v1/invoices/" + draft.get("id").asText()).text("status")).isEqualTo("draft");
        s.advanceTo("2026-01-02T10:00:00Z");
        var finalized = s.api.get("/v1/invoices/" + draft.get("id").asText());
        assertThat(finalized.text("status")).isEqualTo("finalized");
        assertThat(finalized.text("number")).isEqualTo("INV-000001");
    }

    @Test
    void theTenantsRoundingModeDecidesTheLastCent() {
        Sandbox s = new Sandbox("rounding", SubscriptionLifecycleTest.TIERS, "2026-01-22T10:00:00Z");
        assertThat(s.api.patch("/v1/tenant", Map.of("rounding_mode", "sideways")).text("field")).isEqualTo("rounding_mode");
        assertThat(s.api.patch("/v1/tenant", Map.of("invoice_grace_hours", 1000)).text("field")).isEqualTo("invoice_grace_hours");
        s.api.patch("/v1/tenant", Map.of("rounding_mode", "down"));
        String c = s.customer("Cents Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "alignment", "calendar")).get("id").asText();
        // Jan 22 → Feb 1 is 10 of 31 days: 10.00 × 10/31 = 3.2258… → 3.22 rounding down (3.23 with half_up)
        assertThat(s.invoices(sub)).containsExactly("2026-01-22 3.22 [recurring base 2026-01-22..2026-02-01 3.22]");
        assertThat(s.api.get("/v1/tenant").json().at("/settings/rounding_mode").asText()).isEqualTo("down");
    }
}

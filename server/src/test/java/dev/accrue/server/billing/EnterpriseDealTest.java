package dev.accrue.server.billing;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator tools on a subscription: enterprise overrides honoured on every invoice, and trial extensions. */
class EnterpriseDealTest {

    @Test
    void customPricesApplyFromTheNextInvoiceAndUnknownChargesAreRefused() {
        Sandbox s = new Sandbox("deal", SubscriptionLifecycleTest.TIERS, "2026-01-01T10:00:00Z");
        String c = s.customer("Big Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro", "alignment", "calendar")).get("id").asText();
        var bad = s.api.send("PUT", "/v1/subscriptions/" + sub + "/overrides", Map.of("prices", Map.of("setup", Map.of("USD", "1.00"))));
        assertThat(bad.code()).isEqualTo("validation_failed");
        assertThat(bad.text("field")).isEqualTo("overrides.prices.setup");
        assertThat(s.api.send("PUT", "/v1/subscriptions/" + sub + "/overrides", Map.of("quotas", Map.of("robots", 5))).text("field"))
                .isEqualTo("overrides.quotas.robots");
        assertThat(s.api.send("PUT", "/v1/subscriptions/" + sub + "/overrides", Map.of("prices", Map.of("base", Map.of("GBP", "1.00")))).text("field"))
                .isEqualTo("overrides.prices.base.GBP");
        var ok = s.api.send("PUT", "/v1/subscriptions/" + sub + "/overrides", Map.of("prices", Map.of("base", Map.of("USD", "32.50"))));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/overrides").json().at("/prices/base/USD").asText()).isEqualTo("32.50");
        s.advanceTo("2026-03-02T10:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-01-01 40.00 [recurring base 2026-01-01..2026-02-01 40.00]",
                "2026-02-01 32.50 [recurring base 2026-02-01..2026-03-01 32.50]",
                "2026-03-01 32.50 [recurring base 2026-03-01..2026-04-01 32.50]");
    }

    @Test
    void anOperatorExtendsARunningTrial() {
        Sandbox s = new Sandbox("extend trial", SubscriptionLifecycleTest.TIERS, "2026-03-03T10:00:00Z");
        String c = s.customer("Trial Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "plus", "alignment", "anniversary")).get("id").asText();
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/extend_trial", Map.of("trial_end", "2026-03-10")).text("field")).isEqualTo("trial_end");
        var extended = s.api.post("/v1/subscriptions/" + sub + "/extend_trial", Map.of("trial_end", "2026-04-01"));
        assertThat(extended.text("trial_end")).isEqualTo("2026-04-01");
        s.advanceTo("2026-04-02T10:00:00Z");
        assertThat(s.invoices(sub)).containsExactly("2026-04-01 20.00 [recurring base 2026-04-01..2026-05-01 20.00]");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/extend_trial", Map.of("trial_end", "2026-06-01")).code()).isEqualTo("validation_failed");
    }
}

package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage view prices rate-table charges too: cost so far as the invoice would, and the projection at the same pace. */
class UsageCostTest {
    @Test
    void aRateTableChargeShowsItsCostSoFarAndProjectedCost() {
        Sandbox s = new Sandbox("usage cost", UsageInvoicingTest.SMS, "2026-06-01T08:00:00Z");
        String c = s.customer("Texter", "EUR", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "payg")).get("id").asText();
        s.advanceTo("2026-06-10T12:00:00Z");
        // 100 segments to France at 0.0725 and 100 inbound at 0.01 over the first 10 days of June = 8.25
        for (int i = 0; i < 2; i++) {
            String direction = i == 0 ? "outbound" : "inbound";
            var r = s.api.post("/v1/events", Map.of("event_id", "sms-" + i, "customer_id", c, "metric", "sms_segments",
                    "timestamp", "2026-06-05T09:00:00Z", "properties", Map.of("segments", 100, "direction", direction, "country", "FR")));
            assertThat(r.status()).as(r.toString()).isIn(200, 201, 202);
        }
        JsonNode sms = s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0");
        assertThat(sms.get("cost_so_far").asText()).isEqualTo("8.25");
        // 10 of 30 days elapsed: the same pace to June 30 is 3 × 8.25
        assertThat(sms.get("projected_cost").asText()).isEqualTo("24.75");

        // and the cost so far is what the invoice charges when no more usage arrives
        s.advanceTo("2026-07-01T08:00:00Z");
        assertThat(s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/total").asText()).isEqualTo("8.25");
    }

    @Test
    void eachAllowanceIsShownBySourceInTheOrderUsageConsumesIt() {
        Sandbox s = new Sandbox("allowance sources", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String c = s.customer("Bundler", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "bundle_nexus_300")).status()).isEqualTo(201);
        // 7,000 seconds: the plan's 6,000 first, then 1,000 of the bundle's 18,000, which lapses with the period
        var r = s.api.post("/v1/events", Map.of("event_id", "long-call", "customer_id", c, "metric", "call_seconds",
                "timestamp", "2026-06-10T07:30:00Z", "properties", Map.of("duration_seconds", 7000, "direction", "outbound")));
        assertThat(r.status()).as(r.toString()).isIn(200, 201, 202);
        JsonNode minutes = s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0");
        assertThat(minutes.get("included").asText()).isEqualTo("24000");
        assertThat(minutes.get("allowances")).extracting(a -> a.get("kind").asText() + " " + a.get("source").asText() + " granted "
                        + a.get("granted").asText() + " used " + a.get("used").asText() + " left " + a.get("remaining").asText() + " until "
                        + a.get("expires_on").asText())
                .containsExactly("plan plan:starter granted 6000 used 6000 left 0 until null",
                        "bundle bundle_nexus_300 granted 18000 used 1000 left 17000 until 2026-07-10");
        assertThat(minutes.get("cost_so_far").asText()).isEqualTo("0.00");
    }
}

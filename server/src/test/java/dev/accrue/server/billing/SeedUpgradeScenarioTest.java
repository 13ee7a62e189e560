package dev.accrue.server.billing;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000: a CRM customer on a 30.00 tier upgrades on the 15th of a 30-day month to the 60.00 tier: the
 * next invoice shows the upgrade for the 15th through the 30th, 16/30 × 30.00 = 16.00, and that month and
 * the following ones bill 60.00.
 */
class SeedUpgradeScenarioTest {

    @Test
    void upgradeOnThe15thOfJuneChargesSixteenThirtiethsOfTheDifference() {
        Sandbox s = new Sandbox("numero", Sandbox.demoCatalog("numero-crm.yaml"), "2026-06-01T12:00:00Z");
        String customer = s.customer("Brightside Dental", "USD", "America/New_York");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "crm_essentials")).get("id").asText();
        assertThat(s.invoices(sub)).containsExactly("2026-06-01 30.00 [recurring base 2026-06-01..2026-07-01 30.00]");

        s.advanceTo("2026-06-15T15:00:00Z");
        var preview = s.api.post("/v1/subscriptions/" + sub + "/change/preview", Map.of("plan", "crm_plus"));
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(preview.text("total")).isEqualTo("16.00");
        assertThat(preview.json().at("/lines/0/description").asText()).contains("16/30");
        assertThat(preview.json().at("/lines/0/period_start").asText()).isEqualTo("2026-06-15");
        assertThat(preview.json().at("/lines/0/period_end").asText()).isEqualTo("2026-07-01");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("crm_essentials");

        var change = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "crm_plus"));
        assertThat(change.json().get("lines")).isEqualTo(preview.json().get("lines"));
        assertThat(change.text("timing")).isEqualTo("immediate");
        assertThat(change.json().get("invoiced_now").asBoolean()).isFalse();
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("crm_plus");

        s.advanceTo("2026-08-01T15:00:00Z");
        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 30.00 [recurring base 2026-06-01..2026-07-01 30.00]",
                "2026-07-01 76.00 [proration base 2026-06-15..2026-07-01 16.00, recurring base 2026-07-01..2026-08-01 60.00]",
                "2026-08-01 60.00 [recurring base 2026-08-01..2026-09-01 60.00]");
    }
}

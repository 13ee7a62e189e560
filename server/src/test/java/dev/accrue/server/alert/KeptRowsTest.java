package dev.accrue.server.alert;

import dev.accrue.app.alert.UsageAlertEvaluator;
import dev.accrue.server.Services;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.accrue.server.alert.AlertCatalog.alert;
import static dev.accrue.server.alert.AlertCatalog.alerts;
import static dev.accrue.server.alert.AlertCatalog.awaitAlerts;
import static dev.accrue.server.alert.AlertCatalog.call;
import static dev.accrue.server.alert.AlertCatalog.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator keeps the subscription and customer rows it parsed and reads them again only when their row version
 * changed: a subscription row written after a pass read it — here by another writer, as another node would — is what
 * the next pass evaluates, not the row kept.
 */
class KeptRowsTest {
    private final Services services = TestNode.get().accrue().services();

    @Test
    void aSubscriptionRowWrittenAfterAPassReadItIsReadAgain() {
        Sandbox s = new Sandbox("kept rows", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Kept", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "small")).get("id").asText(); // 1,000 s included, 50 % and 90 %
        send(s, call("k1", c, "2026-06-01T07:00:00Z", 400, null)); // 400 of 1,000: nothing yet
        // a pass reads (and keeps) the small plan's subscription row
        services.tx().inTransaction(() -> services.alertEvaluator().evaluate(new UsageAlertEvaluator.Key(s.tenant.id(), sub, "call_seconds")));
        assertThat(alerts(s, c, "usage_threshold")).isEmpty();

        // the row changes under the evaluator: the large plan (5,000 s included, the default 50/75/90/100 %)
        int changed = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createUpdate(
                        "UPDATE subscriptions SET plan_code = 'large', version = version + 1 WHERE tenant_id = :t AND id = :id")
                .bind("t", s.tenant.id()).bind("id", sub).execute());
        assertThat(changed).isEqualTo(1);

        send(s, call("k2", c, "2026-06-01T07:10:00Z", 2_200, null)); // 2,600: the large plan's 50 %; the small plan's 50 % and 90 % had it stayed
        awaitAlerts(s, c, "usage_threshold", 1);
        AlertCatalog.sleep(2_000); // the pass's second look, and any stale one
        assertThat(alerts(s, c, "usage_threshold")).containsExactly("plan 50% 2026-06-01");
        assertThat(alert(s, c, "usage_threshold", "50%").at("/data/threshold_usage").asText()).isEqualTo("2500");
    }
}

package dev.accrue.server.alert;

import dev.accrue.app.event.EventTypes;
import dev.accrue.server.Services;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.accrue.server.alert.AlertCatalog.alerts;
import static dev.accrue.server.alert.AlertCatalog.awaitAlerts;
import static dev.accrue.server.alert.AlertCatalog.call;
import static dev.accrue.server.alert.AlertCatalog.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator keeps what fired in the windows its passes read, so that a key evaluated again needs no fired read.
 * What it holds can only lack markers, never invent them: a threshold fired behind its back (as by another node) after
 * a pass read the window is still refused by the unique key — no second event — while the thresholds not fired still
 * fire; and a new window (the reset) is a window not held, whose thresholds all fire again.
 */
class KnownFiredTest {
    private final Services services = TestNode.get().accrue().services();

    @Test
    void aWindowHeldInMemoryNeitherFiresTwiceWhatAnotherNodeFiredNorHoldsBackTheReset() {
        Sandbox s = new Sandbox("known fired", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Known", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "small")).get("id").asText(); // 1,000 s included, 50 % and 90 %
        send(s, call("n1", c, "2026-06-01T07:00:00Z", 400, null)); // 400 of 1,000: nothing fires, the node's pass reads the window
        AlertCatalog.sleep(1_500);
        assertThat(alerts(s, c, "usage_threshold")).isEmpty();

        // another node fires the 50 % behind this node's back (its marker only: this node must not record it again)
        int inserted = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createUpdate("""
                        INSERT INTO fired_alerts (tenant_id, id, customer_id, kind, subject, window_start, window_end, audience, threshold, event_id, fired_at)
                        VALUES (:t, 'alr_elsewhere', :c, 'usage_threshold', :subject, DATE '2026-06-01', DATE '2026-07-01', 'plan', '50%', 'evt_elsewhere', :at)""")
                .bind("t", s.tenant.id()).bind("c", c).bind("subject", sub + "/call_seconds").bind("at", Instant.parse("2026-06-01T07:30:00Z"))
                .execute());
        assertThat(inserted).isEqualTo(1);

        send(s, call("n2", c, "2026-06-01T07:10:00Z", 600, null)); // 1,000: past 50 % (fired elsewhere) and 90 %
        awaitAlerts(s, c, "usage_threshold", 2);
        AlertCatalog.sleep(2_000); // the second look, any refresh
        assertThat(alerts(s, c, "usage_threshold")).containsExactly("plan 50% 2026-06-01", "plan 90% 2026-06-01");
        assertThat(services.events().list(s.tenant.id(), EventTypes.USAGE_THRESHOLD_REACHED, sub, 100))
                .extracting(e -> e.event().data().get("threshold")).containsExactly("90%");

        // July: a window the node holds nothing of; both thresholds fire again, once each
        s.advanceTo("2026-07-10T08:00:00Z");
        send(s, call("n3", c, "2026-07-10T07:00:00Z", 950, null));
        awaitAlerts(s, c, "usage_threshold", 4);
        AlertCatalog.sleep(2_000);
        assertThat(alerts(s, c, "usage_threshold")).containsExactlyInAnyOrder("plan 50% 2026-06-01", "plan 90% 2026-06-01", "plan 50% 2026-07-01",
                "plan 90% 2026-07-01");
        assertThat(services.events().list(s.tenant.id(), EventTypes.USAGE_THRESHOLD_REACHED, sub, 100)).hasSize(3);
    }
}

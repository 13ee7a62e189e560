package dev.accrue.server.alert;

import dev.accrue.app.auth.Caller;
import dev.accrue.core.metering.RawEvent;
import dev.accrue.server.Services;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.accrue.server.alert.AlertCatalog.awaitAlerts;
import static dev.accrue.server.alert.AlertCatalog.call;
import static dev.accrue.server.alert.AlertCatalog.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage recorded inside a transaction that is still open when the evaluator reads (an authorization's commit records
 * its usage so) is looked at again a second later: the alert it crosses fires once the transaction commits, though the
 * pass it woke read the usage without it. Usage told after its commit (batches) gets no second look.
 */
class SecondLookTest {
    private final Services services = TestNode.get().accrue().services();

    @Test
    void usageToldBeforeItsCommitIsLookedAtAgainOnceItMayHaveCommitted() {
        Sandbox s = new Sandbox("second look", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Authorized", "USD", "UTC");
        s.subscribe(Map.of("customer_id", c, "plan", "small")); // 1,000 s included; the plan warns at 50 and 90 %
        send(s, call("first", c, "2026-06-01T07:00:00Z", 100, null)); // the gate learns the key: 100 read, next threshold at 500
        AlertCatalog.sleep(1_000);
        services.tx().inTransaction(() -> {
            // 600 of 1,000: the gate finds it due at once, and the pass it wakes reads 100 — this transaction is still open
            services.metering().ingest(Caller.system(s.tenant.id()),
                    List.of(new RawEvent("in-tx", c, "call_seconds", "2026-06-01T07:10:00Z", Map.of("duration_seconds", 500))));
            AlertCatalog.sleep(700);
            return null;
        });
        assertThat(awaitAlerts(s, c, "usage_threshold", 1)).containsExactly("plan 50% 2026-06-01");
    }
}

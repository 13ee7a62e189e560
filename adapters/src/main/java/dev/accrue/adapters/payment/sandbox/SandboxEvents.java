package dev.accrue.adapters.payment.sandbox;

import dev.accrue.app.payment.GatewayEventIntake;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The sandbox gateway's webhook sender: delivers the events it queued (a bank debit's settlement) to Accrue's
 * gateway-event intake — the handler behind {@code POST /v1/gateway_events/sandbox} — signed with
 * {@code Sandbox-Signature} exactly as a posted delivery is, so the sandbox exercises Stripe's settlement path: the
 * signature checked, the event id deduplicated in {@code gateway_events}, the attempt settled by the collection code.
 * In process rather than over HTTP (a node need not reach its own public address); an event is marked delivered only
 * once the intake took it, so a crash redelivers it and the intake answers {@code duplicate}, as with Stripe.
 */
public final class SandboxEvents {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxEvents.class);
    private final Jdbi jdbi;
    private final GatewayEventIntake intake;
    private final Clock clock;

    public SandboxEvents(Jdbi jdbi, GatewayEventIntake intake, Clock clock) {
        this.jdbi = jdbi;
        this.intake = intake;
        this.clock = clock;
    }

    private record Queued(String id, String body) {
    }

    /** Delivers every event due; returns how many the intake took (applied, duplicate or ignored). */
    public int deliverDue() {
        int delivered = 0;
        for (int round = 0; round < 100; round++) {
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            List<Queued> due = jdbi.withHandle(h -> h.createQuery("""
                            SELECT id, body FROM sandbox_events WHERE delivered_at IS NULL AND due_at <= :now AND attempts < 20
                            ORDER BY due_at, id LIMIT 100""")
                    .bind("now", now).map((rs, ctx) -> new Queued(rs.getString("id"), rs.getString("body"))).list());
            int before = delivered;
            for (Queued e : due) {
                try {
                    intake.receive(SandboxGateway.NAME, e.body(), Map.of("Sandbox-Signature", SandboxGateway.sign(e.body())));
                    jdbi.useHandle(h -> h.createUpdate("UPDATE sandbox_events SET delivered_at = :at, attempts = attempts + 1 WHERE id = :id")
                            .bind("at", now).bind("id", e.id()).execute());
                    delivered++;
                } catch (RuntimeException failed) {
                    // like a webhook answered with an error: tried again on the next pass (at most 20 times)
                    LOG.warn("Delivering sandbox event {} failed; it is sent again later", e.id(), failed);
                    jdbi.useHandle(h -> h.createUpdate("UPDATE sandbox_events SET attempts = attempts + 1 WHERE id = :id").bind("id", e.id()).execute());
                }
            }
            if (due.size() < 100 || delivered == before) {
                break;
            }
        }
        return delivered;
    }
}

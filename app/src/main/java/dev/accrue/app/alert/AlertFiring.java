package dev.accrue.app.alert;

import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.id.Ids;
import dev.accrue.core.time.Period;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The one way an alert fires: its row goes into {@code fired_alerts} unless the same alert (kind, subject, window,
 * audience, threshold) fired before, and only then is its domain event recorded — in the caller's transaction, so
 * the marker and the event (which webhooks, email and in-app notifications deliver) commit together or not at all.
 * The marker is in the database and nowhere else: a node that restarts, or another node, sees what fired, and the
 * unique key settles any race. Callers read which alerts fired in bulk first ({@link AlertRepository#firedIn}) so an
 * alert already fired costs no insert.
 */
public final class AlertFiring {
    private final AlertRepository alerts;
    private final DomainEvents events;
    private final Clock clock;

    public AlertFiring(AlertRepository alerts, DomainEvents events, Clock clock) {
        this.alerts = alerts;
        this.events = events;
        this.clock = clock;
    }

    /** What fires: about which object, of which kind, in which window, for whom, at which threshold. */
    public record Alert(String tenantId, String customerId, String objectType, String objectId, String kind, String eventType, String subject,
                        Period window, String audience, String threshold) {
        public FiredAlert.Marker marker() {
            return new FiredAlert.Marker(kind, subject, window.start(), audience, threshold);
        }
    }

    /** Fires the alert unless it fired before in its window; true when this call fired it. */
    public boolean fire(Alert a, Map<String, Object> data, Instant occurredAt) {
        Map<String, Object> clean = new TreeMap<>(data);
        clean.values().removeIf(Objects::isNull); // an absent figure (no allowance, no pace yet) is left out, not null
        String eventId = Ids.next("evt");
        FiredAlert row = new FiredAlert(Ids.next("alr"), a.customerId(), a.kind(), a.subject(), a.window().start(), a.window().end(), a.audience(),
                a.threshold(), eventId, clean, clock.instant());
        if (!alerts.fire(a.tenantId(), row)) {
            return false;
        }
        events.record(a.tenantId(), new DomainEvent(eventId, a.eventType(), a.objectType(), a.objectId(), a.customerId(), clean, occurredAt));
        return true;
    }
}

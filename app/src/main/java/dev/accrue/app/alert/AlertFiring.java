package dev.accrue.app.alert;

import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.id.Ids;
import dev.accrue.core.time.Period;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    /** An alert to fire with what its event says and when it happened. */
    public record Firing(Alert alert, Map<String, Object> data, Instant at) {
    }

    /**
     * {@link #fire} of several alerts of one tenant with two statements whatever their number (the markers, then the
     * events of those that went in), in the caller's transaction; returns how many fired.
     */
    public int fireAll(String tenantId, List<Firing> firings) {
        List<FiredAlert> rows = new ArrayList<>(firings.size());
        List<DomainEvent> events = new ArrayList<>(firings.size());
        for (Firing f : firings) {
            Alert a = f.alert();
            Map<String, Object> clean = clean(f.data());
            String eventId = Ids.next("evt");
            rows.add(new FiredAlert(Ids.next("alr"), a.customerId(), a.kind(), a.subject(), a.window().start(), a.window().end(), a.audience(),
                    a.threshold(), eventId, clean, clock.instant()));
            events.add(new DomainEvent(eventId, a.eventType(), a.objectType(), a.objectId(), a.customerId(), clean, f.at()));
        }
        Set<String> inserted = alerts.fireAll(tenantId, rows);
        List<DomainEvent> fired = new ArrayList<>(inserted.size());
        for (int i = 0; i < rows.size(); i++) {
            if (inserted.contains(rows.get(i).id())) {
                fired.add(events.get(i));
            }
        }
        this.events.recordAll(tenantId, fired);
        return fired.size();
    }

    private static Map<String, Object> clean(Map<String, Object> data) {
        Map<String, Object> clean = new TreeMap<>(data);
        clean.values().removeIf(Objects::isNull); // an absent figure (no allowance, no pace yet) is left out, not null
        return clean;
    }

    /** Fires the alert unless it fired before in its window; true when this call fired it. */
    public boolean fire(Alert a, Map<String, Object> data, Instant occurredAt) {
        Map<String, Object> clean = clean(data);
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

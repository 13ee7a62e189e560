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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way an alert fires: its row goes into {@code fired_alerts} unless the same alert (kind, subject, window,
 * audience, threshold) fired before, and only then is its domain event recorded — in the caller's transaction, so
 * the alert and its event commit together or not at all. Alerts known to be fired are remembered, so a customer far
 * past its thresholds does not cost an insert per threshold on every evaluation; the caller says when its transaction
 * committed ({@link #committed}) before what it fired counts as known.
 */
public final class AlertFiring {
    private final AlertRepository alerts;
    private final DomainEvents events;
    private final Clock clock;
    /** Alerts known to be in fired_alerts (bounded: emptied past {@link #MAX_KNOWN}, the database answers again). */
    private final Set<String> fired = ConcurrentHashMap.newKeySet();
    /** Alerts fired by this thread's open transaction: known only once it commits (a rollback takes them back). */
    private final ThreadLocal<List<String>> pendingKeys = ThreadLocal.withInitial(ArrayList::new);
    private static final int MAX_KNOWN = 200_000;

    public AlertFiring(AlertRepository alerts, DomainEvents events, Clock clock) {
        this.alerts = alerts;
        this.events = events;
        this.clock = clock;
    }

    /** What fires: about which object, of which kind, in which window, for whom, at which threshold. */
    public record Alert(String tenantId, String customerId, String objectType, String objectId, String kind, String eventType, String subject,
                        Period window, String audience, String threshold) {
    }

    /**
     * Whether this node already knows the alert fired (it fired it, or its insert met the row). Only saves the insert
     * of an alert known to be there; the database's unique key stays the one authority.
     */
    public boolean known(String tenantId, String kind, String subject, Period window, String audience, String threshold) {
        return fired.contains(key(tenantId, kind, subject, window, audience, threshold));
    }

    private static String key(String tenantId, String kind, String subject, Period window, String audience, String threshold) {
        return tenantId + '|' + kind + '|' + subject + '|' + window.start() + '|' + audience + '|' + threshold;
    }

    /** The caller's transaction committed: what it fired is known from now on. */
    public void committed() {
        pendingKeys.get().forEach(this::remember);
        pendingKeys.remove();
    }

    /** The caller's transaction rolled back: what it fired did not happen. */
    public void rolledBack() {
        pendingKeys.remove();
    }

    private void remember(String key) {
        if (fired.size() >= MAX_KNOWN) {
            fired.clear();
        }
        fired.add(key);
    }

    /** Fires the alert unless it fired before in its window; true when this call fired it. */
    public boolean fire(Alert a, Map<String, Object> data, Instant occurredAt) {
        String key = key(a.tenantId(), a.kind(), a.subject(), a.window(), a.audience(), a.threshold());
        if (fired.contains(key)) {
            return false;
        }
        Map<String, Object> clean = new TreeMap<>(data);
        clean.values().removeIf(Objects::isNull); // an absent figure (no allowance, no pace yet) is left out, not null
        String eventId = Ids.next("evt");
        FiredAlert row = new FiredAlert(Ids.next("alr"), a.customerId(), a.kind(), a.subject(), a.window().start(), a.window().end(), a.audience(),
                a.threshold(), eventId, clean, clock.instant());
        if (!alerts.fire(a.tenantId(), row)) {
            remember(key);
            return false;
        }
        events.record(a.tenantId(), new DomainEvent(eventId, a.eventType(), a.objectType(), a.objectId(), a.customerId(), clean, occurredAt));
        pendingKeys.get().add(key);
        return true;
    }
}

package dev.accrue.app.webhook;

import dev.accrue.app.event.ConsumerPositions;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.id.Ids;
import dev.accrue.app.tx.Transactions;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns committed billing events into one pending delivery per subscribed endpoint. A batch of events, the
 * deliveries it makes and the consumer's new position commit together; a delivery is unique per (endpoint, event),
 * so a batch consumed twice (a crash after the inserts, before the commit) still delivers each event once. The
 * body is fixed here: {@code {"type", "timestamp", "data"}} as Standard Webhooks describes, {@code data} being the
 * event's snapshot with {@code object}, {@code id} and {@code customer_id} first.
 */
public final class WebhookFanout {
    public static final String CONSUMER = "webhooks";
    private final Transactions tx;
    private final DomainEvents events;
    private final ConsumerPositions positions;
    private final WebhookRepository repo;
    private final PayloadWriter json;
    private final Clock clock;

    public WebhookFanout(Transactions tx, DomainEvents events, ConsumerPositions positions, WebhookRepository repo, PayloadWriter json, Clock clock) {
        this.tx = tx;
        this.events = events;
        this.positions = positions;
        this.repo = repo;
        this.json = json;
        this.clock = clock;
    }

    /** Fans out up to {@code limit} events; returns how many events were consumed. */
    public int run(int limit) {
        return tx.inTransaction(() -> {
            DomainEvents.Position position = positions.lock(CONSUMER);
            List<DomainEvents.Recorded> batch = events.after(position, limit);
            Map<String, List<WebhookEndpoint>> subscribed = new HashMap<>();
            Instant now = clock.instant();
            for (DomainEvents.Recorded r : batch) {
                DomainEvent e = r.event();
                for (WebhookEndpoint endpoint : subscribed.computeIfAbsent(r.tenantId() + "\n" + e.type(), k -> repo.subscribedTo(r.tenantId(), e.type()))) {
                    var delivery = new WebhookDelivery(Ids.next("whd"), endpoint.id(), e.id(), e.type(), e.objectId(), body(e), WebhookDelivery.PENDING, 0,
                            now, null, null, null, now);
                    repo.insertDelivery(r.tenantId(), delivery, r.position().transaction(), r.position().sequence());
                }
                position = r.position();
            }
            if (!batch.isEmpty()) {
                positions.save(CONSUMER, position);
            }
            return batch.size();
        });
    }

    String body(DomainEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", e.objectType());
        data.put("id", e.objectId());
        if (e.customerId() != null) {
            data.put("customer_id", e.customerId());
        }
        e.data().forEach(data::putIfAbsent);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", e.type());
        body.put("timestamp", e.occurredAt().toString());
        body.put("data", data);
        return json.json(body);
    }
}

package dev.accrue.server.event;

import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.DomainEvents.Position;
import dev.accrue.app.event.DomainEvents.Recorded;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.server.Services;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event outbox never lets a consumer pass an event: an event recorded early by a transaction that commits late
 * is still delivered after the consumer has read events committed in between. Rolled-back events never appear.
 */
class DomainEventsOutboxTest {
    private final Services services = TestNode.get().accrue().services();
    private final DomainEvents events = services.events();
    private final String tenant = TestNode.get().newTenant("events").id();

    @Test
    void aConsumerNeverPassesAnEventCommittedLateAndNeverSeesARolledBackOne() throws Exception {
        Position position = drain(Position.START, new ArrayList<>());
        CountDownLatch slowRecorded = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> slow = pool.submit(() -> services.tx().run(() -> {
                events.record(tenant, event("slow"));
                slowRecorded.countDown();
                await(release);
            }));
            assertThat(slowRecorded.await(10, TimeUnit.SECONDS)).isTrue();
            services.tx().run(() -> events.record(tenant, event("fast")));
            try {
                services.tx().run(() -> {
                    events.record(tenant, event("rolled-back"));
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // the event goes with the transaction
            }

            List<String> seen = new ArrayList<>();
            Position whileSlowIsOpen = drain(position, seen);
            assertThat(seen).as("nothing is handed out while an older transaction may still add events").isEmpty();

            release.countDown();
            slow.get(10, TimeUnit.SECONDS);
            // Transactions of other tests running beside this one may hold the horizon back for a moment.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Position p = whileSlowIsOpen; seen.size() < 2 && System.nanoTime() < deadline; Thread.sleep(20)) {
                p = drain(p, seen);
            }
            assertThat(seen).containsExactlyInAnyOrder("slow", "fast");
            assertThat(events.list(tenant, EventTypes.INVOICE_CREATED, null, 10)).extracting(r -> r.event().objectId())
                    .containsExactly("fast", "slow");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private Position drain(Position from, List<String> seen) {
        Position position = from;
        for (List<Recorded> page = events.after(position, 100); !page.isEmpty(); page = events.after(position, 100)) {
            for (Recorded recorded : page) {
                if (recorded.tenantId().equals(tenant)) {
                    seen.add(recorded.event().objectId());
                }
                position = recorded.position();
            }
        }
        return position;
    }

    private static DomainEvent event(String objectId) {
        return new DomainEvent(Ids.next("evt"), EventTypes.INVOICE_CREATED, "invoice", objectId, null, Map.of("total", "1.00"), Instant.now());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

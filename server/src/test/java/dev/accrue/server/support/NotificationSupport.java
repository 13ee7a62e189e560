package dev.accrue.server.support;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.notification.NotificationCentre;
import dev.accrue.app.notification.Notifications;
import dev.accrue.server.support.TestNode;

import java.time.Clock;

/**
 * Runs the notification centre for one test. The suite shares one outbox; the centre is skipped past what earlier
 * tests recorded, so their customers get no notification emails that later mail tests would have to count around.
 */
public final class NotificationSupport {
    private NotificationSupport() {
    }

    /** Moves the notifications consumer to the end of the outbox, without notifying. */
    public static void skipEarlierEvents() {
        Notifications n = TestNode.get().accrue().services().notifications();
        n.tx().run(() -> {
            DomainEvents.Position p = n.positions().lock(NotificationCentre.CONSUMER);
            for (var page = n.events().after(p, 1000); !page.isEmpty(); page = n.events().after(p, 1000)) {
                p = page.getLast().position();
            }
            n.positions().save(NotificationCentre.CONSUMER, p);
        });
    }

    /** Notifies what this tenant's events ask for (and, the suite being sequential, nothing else). */
    public static void consumeOwnEvents(String tenantId) {
        skipEarlierEventsOf(tenantId);
        TestNode.get().accrue().services().notifications().centre(Clock.systemUTC()).consume(1000);
    }

    /** Skips every event up to the tenant's first unconsumed one. */
    private static void skipEarlierEventsOf(String tenantId) {
        Notifications n = TestNode.get().accrue().services().notifications();
        n.tx().run(() -> {
            DomainEvents.Position p = n.positions().lock(NotificationCentre.CONSUMER);
            for (var page = n.events().after(p, 1000); !page.isEmpty(); page = n.events().after(p, 1000)) {
                for (var r : page) {
                    if (r.tenantId().equals(tenantId)) {
                        n.positions().save(NotificationCentre.CONSUMER, p);
                        return;
                    }
                    p = r.position();
                }
            }
            n.positions().save(NotificationCentre.CONSUMER, p);
        });
    }
}

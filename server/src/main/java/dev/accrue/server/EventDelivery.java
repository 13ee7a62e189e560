package dev.accrue.server;

import dev.accrue.app.notification.NotificationCentre;
import dev.accrue.app.notification.SubscriptionReminders;
import dev.accrue.app.webhook.WebhookDispatcher;
import dev.accrue.app.webhook.WebhookFanout;
import dev.accrue.app.webhook.WebhookSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * One round of event delivery, as the node's background thread runs it: reminders first (they record events),
 * then the webhook fan-out and dispatch, then notifications and digests. Each step drains what it can in batches
 * and a failing step does not stop the others; what it left is picked up by the next round.
 */
public final class EventDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
    private static final int BATCH = 200;
    private static final Duration REMINDER_SCAN_EVERY = Duration.ofMinutes(1);
    private final SubscriptionReminders reminders;
    private final WebhookFanout fanout;
    private final WebhookDispatcher dispatcher;
    private final NotificationCentre centre;
    private final Clock clock;
    private Instant lastReminderScan = Instant.MIN;

    public EventDelivery(Services services, WebhookSender sender, Clock clock) {
        this.reminders = services.notifications().reminders(clock);
        this.fanout = services.webhooks().fanout();
        this.dispatcher = services.webhooks().dispatcher(sender, clock);
        this.centre = services.notifications().centre(clock);
        this.clock = clock;
    }

    public void runOnce() {
        // the reminder scan reads every live subscription: once a minute is early enough for a notice given in days
        if (!clock.instant().isBefore(lastReminderScan.plus(REMINDER_SCAN_EVERY))) {
            lastReminderScan = clock.instant();
            step("reminders", () -> drain(() -> reminders.scan(BATCH)));
        }
        step("webhook fan-out", () -> drain(() -> fanout.run(BATCH)));
        step("webhook dispatch", () -> drain(() -> dispatcher.dispatch(BATCH)));
        step("notifications", () -> drain(() -> centre.consume(BATCH)));
        step("digests", () -> drain(() -> centre.flushDigests(BATCH)));
    }

    private static void drain(IntSupplier batch) {
        for (int i = 0; i < 50 && batch.getAsInt() >= BATCH; i++) {
            // a full batch: there may be more
        }
    }

    private static void step(String name, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("Event delivery step '{}' failed; the next round retries it", name, e);
        }
    }
}

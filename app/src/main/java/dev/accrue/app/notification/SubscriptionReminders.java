package dev.accrue.app.notification;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Records {@code subscription.renewing} (the tenant's renewal notice days before the next renewal) and
 * {@code subscription.trial_ending} (its trial notice days before a trial ends), each once per subscription and
 * date, in the customer's own time: a customer on a test clock hears when the clock reaches the window. The
 * reminder row and its event commit together, so a reminder is never recorded twice nor lost.
 */
public final class SubscriptionReminders {
    private final Transactions tx;
    private final NotificationRepository repo;
    private final SubscriptionRepository subscriptions;
    private final DomainEvents events;
    private final Clock clock;

    public SubscriptionReminders(Transactions tx, NotificationRepository repo, SubscriptionRepository subscriptions, DomainEvents events, Clock clock) {
        this.tx = tx;
        this.repo = repo;
        this.subscriptions = subscriptions;
        this.events = events;
        this.clock = clock;
    }

    /** Records up to {@code limit} due reminders; returns how many. */
    public int scan(int limit) {
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            var due = repo.recordDueReminders(now, limit);
            for (var r : due) {
                var sub = subscriptions.find(r.tenantId(), r.subscriptionId()).orElseThrow();
                boolean renewal = r.kind().equals("renewing");
                events.record(r.tenantId(), EventSnapshots.subscription(renewal ? EventTypes.SUBSCRIPTION_RENEWING : EventTypes.SUBSCRIPTION_TRIAL_ENDING, sub,
                        now, Map.of(renewal ? "renews_on" : "trial_ends_on", r.about().toString())));
            }
            return due.size();
        });
    }
}

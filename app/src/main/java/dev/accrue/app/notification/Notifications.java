package dev.accrue.app.notification;

import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.ConsumerPositions;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.seller.SellerService;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;

import java.time.Clock;

/** The notification parts of a node: the API, and what the centre and the reminder scan are built from (on a clock). */
public record Notifications(NotificationService api, Transactions tx, DomainEvents events, ConsumerPositions positions, NotificationRepository repository,
                            CustomerRepository customers, SubscriptionRepository subscriptions, SellerService sellers, EmailOutbox outbox,
                            NotificationTexts texts) {

    public NotificationCentre centre(Clock clock) {
        return new NotificationCentre(tx, events, positions, repository, customers, sellers, outbox, texts, clock);
    }

    public SubscriptionReminders reminders(Clock clock) {
        return new SubscriptionReminders(tx, repository, subscriptions, events, clock);
    }
}

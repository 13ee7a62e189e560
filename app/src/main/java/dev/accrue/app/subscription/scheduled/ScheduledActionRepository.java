package dev.accrue.app.subscription.scheduled;

import dev.accrue.core.subscription.ScheduledAction;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The dated actions of subscriptions (V260). */
public interface ScheduledActionRepository {
    void insert(String tenantId, ScheduledAction action);

    /** Every action of the subscription, by effective date then creation. */
    List<ScheduledAction> forSubscription(String tenantId, String subscriptionId);

    /** Scheduled actions dated on or before {@code through}, by effective date then creation, locked. */
    List<ScheduledAction> dueForUpdate(String tenantId, String subscriptionId, LocalDate through);

    Optional<ScheduledAction> findForUpdate(String tenantId, String subscriptionId, String id);

    /** Writes the settled status (applied, revoked, failed) of a scheduled action. */
    void settle(String tenantId, ScheduledAction action);
}

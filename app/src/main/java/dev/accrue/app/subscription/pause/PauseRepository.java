package dev.accrue.app.subscription.pause;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Pauses of subscriptions (V262). */
public interface PauseRepository {
    void insert(String tenantId, SubscriptionPause pause);

    /** The subscription's pause that has not been resumed, locked. */
    Optional<SubscriptionPause> openForUpdate(String tenantId, String subscriptionId);

    /** Every pause of the subscription, oldest first. */
    List<SubscriptionPause> forSubscription(String tenantId, String subscriptionId);

    void resume(String tenantId, String id, LocalDate resumedOn);
}

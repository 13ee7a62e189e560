package dev.accrue.app.metering;

import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.core.subscription.Subscription;

import java.util.List;
import java.util.Map;

/** Told, inside the ingestion transaction, which events were newly stored (duplicates excluded). */
@FunctionalInterface
public interface UsageListener {
    void accepted(String tenantId, List<MeteredEvent> stored);

    /**
     * The same, with the subscriptions the events bill to by id as the batch's validation read them (possibly a moment
     * old, as the validation itself; empty when not at hand), for a listener that would otherwise read them again.
     */
    default void accepted(String tenantId, List<MeteredEvent> stored, Map<String, Subscription> read) {
        accepted(tenantId, stored);
    }

    /**
     * The same, told inside the transaction that stores the events (an authorization's commit) before it commits: a
     * listener that reads them from a transaction of its own may not see them yet, and looks again later.
     */
    default void acceptedBeforeCommit(String tenantId, List<MeteredEvent> stored, Map<String, Subscription> read) {
        accepted(tenantId, stored, read);
    }

    /** Tells each listener in turn (list first those that cannot fail: a failure stops the rest). */
    static UsageListener all(UsageListener... listeners) {
        List<UsageListener> all = List.of(listeners);
        return new UsageListener() {
            @Override
            public void accepted(String tenantId, List<MeteredEvent> stored) {
                all.forEach(l -> l.accepted(tenantId, stored));
            }

            @Override
            public void accepted(String tenantId, List<MeteredEvent> stored, Map<String, Subscription> read) {
                all.forEach(l -> l.accepted(tenantId, stored, read));
            }

            @Override
            public void acceptedBeforeCommit(String tenantId, List<MeteredEvent> stored, Map<String, Subscription> read) {
                all.forEach(l -> l.acceptedBeforeCommit(tenantId, stored, read));
            }
        };
    }
}

package dev.accrue.app.metering;

import dev.accrue.core.metering.MeteredEvent;

import java.util.List;

/** Told, inside the ingestion transaction, which events were newly stored (duplicates excluded). */
@FunctionalInterface
public interface UsageListener {
    void accepted(String tenantId, List<MeteredEvent> stored);

    /**
     * The same, with what the batch's validation read ({@link BatchRead}: possibly a moment old, as the validation itself),
     * for a listener that would otherwise read it again.
     */
    default void accepted(String tenantId, List<MeteredEvent> stored, BatchRead read) {
        accepted(tenantId, stored);
    }

    /**
     * The same, told inside the transaction that stores the events (an authorization's commit) before it commits: a
     * listener that reads them from a transaction of its own may not see them yet, and looks again later.
     */
    default void acceptedBeforeCommit(String tenantId, List<MeteredEvent> stored, BatchRead read) {
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
            public void accepted(String tenantId, List<MeteredEvent> stored, BatchRead read) {
                all.forEach(l -> l.accepted(tenantId, stored, read));
            }

            @Override
            public void acceptedBeforeCommit(String tenantId, List<MeteredEvent> stored, BatchRead read) {
                all.forEach(l -> l.acceptedBeforeCommit(tenantId, stored, read));
            }
        };
    }
}

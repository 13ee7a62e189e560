package dev.accrue.app.metering;

import dev.accrue.core.metering.MeteredEvent;

import java.util.List;

/** Told, inside the ingestion transaction, which events were newly stored (duplicates excluded). */
@FunctionalInterface
public interface UsageListener {
    void accepted(String tenantId, List<MeteredEvent> stored);

    /** Tells each listener in turn (list first those that cannot fail: a failure stops the rest). */
    static UsageListener all(UsageListener... listeners) {
        List<UsageListener> all = List.of(listeners);
        return (tenantId, stored) -> all.forEach(l -> l.accepted(tenantId, stored));
    }
}

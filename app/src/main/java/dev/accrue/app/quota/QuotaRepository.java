package dev.accrue.app.quota;

import java.time.Instant;
import java.util.List;
import java.util.Map;

public interface QuotaRepository {
    /** Active item ids of a quota, oldest first. */
    List<String> active(String tenantId, String subscriptionId, String quota);

    /** Active counts of every quota of a subscription. */
    Map<String, Long> counts(String tenantId, String subscriptionId);

    /** Activates (or re-activates) an item; false when it was already active. */
    boolean activate(String tenantId, String subscriptionId, String quota, String itemId, Instant at);

    /** Deactivates an item; false when it was not active. */
    boolean deactivate(String tenantId, String subscriptionId, String quota, String itemId, Instant at);
}

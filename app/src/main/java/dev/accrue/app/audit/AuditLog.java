package dev.accrue.app.audit;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

import java.util.List;

/**
 * Append-only record of every change. {@link #record} must be called inside the transaction that makes
 * the change, so a change and its audit entry commit together or not at all. {@code before}/{@code after}
 * are snapshots serialised by the adapter (null for a creation / deletion).
 */
public interface AuditLog {
    void record(Caller caller, String objectType, String objectId, String action, Object before, Object after);

    /** Several entries by one caller, in list order (one statement where the store can). */
    default void recordAll(Caller caller, List<Entry> entries) {
        entries.forEach(e -> record(caller, e.objectType(), e.objectId(), e.action(), e.before(), e.after()));
    }

    /** One entry of {@link #recordAll}. */
    record Entry(String objectType, String objectId, String action, Object before, Object after) {
    }

    /** The tenant's entries matching every filter given, newest first. */
    Page<AuditEntry> find(String tenantId, AuditQuery query, PageRequest page);
}

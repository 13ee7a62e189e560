package dev.accrue.app.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where the data lifecycle reads and removes data; every method joins the caller's transaction. */
public interface CustomerDataRepository {
    RetentionSettings settings(String tenantId);

    void saveSettings(String tenantId, RetentionSettings settings, Instant at);

    /**
     * Deletes up to {@code limit} raw usage events, of any tenant, whose window was invoiced more than the tenant's
     * usage retention ago and which are older than its event lateness; returns how many.
     */
    int dropInvoicedUsage(Instant now, int limit);

    /** Customers, of any tenant, whose last subscription ended more than their tenant's retention ago, not yet erased. */
    List<CustomerRef> dueForErasure(Instant now, int limit);

    /**
     * Erases one customer's personal data and returns how many rows each table lost or had scrubbed. Refuses (throws)
     * when a table holds the customer's rows and has no erasure rule, so a new table cannot be forgotten.
     */
    Map<String, Integer> erase(String tenantId, String customerId, Instant at);

    /** Writes everything stored about the customer, table by table, to {@code sink} (secrets left out). */
    void export(String tenantId, String customerId, ExportSink sink);

    /** Forgets the scheduler's execution history older than {@code before}; returns how many rows. */
    int pruneJobHistory(Instant before);

    record CustomerRef(String tenantId, String customerId) {
    }

    /** Receives an export: each table's name and columns, then its rows as JSON objects. */
    interface ExportSink {
        void table(String name, List<String> columns);

        void row(String jsonObject);
    }
}

package dev.accrue.app.credit;

import java.util.List;

/** The customer credit ledger, append-only. */
public interface CreditRepository {
    /**
     * Serialises credit use per customer until the transaction ends, so two invoices issued at once (two
     * subscriptions of one customer) cannot both consume the same balance.
     */
    void lock(String tenantId, String customerId);

    /** The customer's entries, oldest first. */
    List<CreditEntry> entries(String tenantId, String customerId);

    /** Appends the entry; false (and nothing written) when its kind and source were already recorded. */
    boolean append(String tenantId, CreditEntry entry);
}

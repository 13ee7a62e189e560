package dev.accrue.app.creditnote;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

import java.util.List;
import java.util.Optional;

public interface CreditNoteRepository {
    /**
     * Locks the invoice row until the transaction ends and answers its status (lower case), empty when the tenant
     * has no such invoice: credit notes of one invoice, and its voiding, are serialised on it.
     */
    Optional<String> lockInvoice(String tenantId, String invoiceId);

    /** Next gapless credit note number of the tenant; the counter row stays locked until the transaction ends. */
    long nextNumber(String tenantId);

    void insert(String tenantId, CreditNote note);

    Optional<CreditNote> find(String tenantId, String id);

    /** Every credit note of the invoice, oldest first. */
    List<CreditNote> ofInvoice(String tenantId, String invoiceId);

    /** Newest first, optionally of one customer or one invoice. */
    Page<CreditNote> list(String tenantId, String customerId, String invoiceId, PageRequest page);
}

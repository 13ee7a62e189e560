package dev.accrue.app.invoice;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

import java.time.Instant;
import java.util.Optional;

public interface InvoiceRepository {
    /** Inserts the invoice (a draft, a proforma, or final with its number) and its lines; false (and nothing written) when its billing key was billed already. */
    boolean insert(String tenantId, Invoice invoice, java.time.Instant finalizeAfter);

    record DueDraft(String tenantId, String invoiceId) {
    }

    /** Drafts of real-time customers whose grace has passed, locked, skipping rows another node holds. */
    java.util.List<DueDraft> claimDraftsDue(Instant now, int limit);

    java.util.List<DueDraft> draftsDueOnTestClock(String tenantId, String testClockId, Instant clockTime);

    /** Whether an invoice with this billing key exists. */
    boolean billed(String tenantId, String billingKey);

    /** Next gapless number of the tenant; the counter row stays locked until the transaction ends. */
    long nextNumber(String tenantId);

    void finalize(String tenantId, String invoiceId, String number, Instant at);

    /**
     * Replaces a draft's lines, subtotal and total (a regenerated draft, its row locked by the caller); its id, billing key,
     * dates and grace stay. False when it is not a draft (any more).
     */
    boolean replaceDraft(String tenantId, Invoice draft);

    /** Locks the invoice's row until the transaction ends; true when it is (still) a draft. */
    boolean lockDraft(String tenantId, String invoiceId);

    /** Next gapless proforma number of the tenant (its own series); the counter row stays locked until commit. */
    long nextProformaNumber(String tenantId);

    /** Gives a just-inserted proforma its number. */
    void numberProforma(String tenantId, String invoiceId, String number);

    /**
     * Turns a proforma into a paid invoice: {@code number} (the next invoice number) replaces the proforma
     * number, which is kept as {@code proforma_number}; false when it is not a proforma (any more).
     */
    boolean payProforma(String tenantId, String invoiceId, String number, java.time.LocalDate issueDate, Instant at);

    /** Voids a proforma (it keeps its PRO number); false when it is not a proforma. */
    boolean voidProforma(String tenantId, String invoiceId);

    /** Moves a finalized invoice to {@code to}; false when it was not finalized (already paid, void …). */
    boolean settle(String tenantId, String invoiceId, String to, Instant at);

    Optional<Invoice> find(String tenantId, String id);

    Page<Invoice> list(String tenantId, InvoiceQuery query, PageRequest page);
}

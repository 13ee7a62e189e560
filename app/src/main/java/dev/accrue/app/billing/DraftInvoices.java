package dev.accrue.app.billing;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.util.Locale;

/**
 * Drafts finalized on request ({@code POST /v1/invoices/{id}/finalize}) before the tenant's grace hours are over, through
 * the one place drafts are numbered ({@link InvoiceIssuer}). The draft's row is locked before its number is taken: the
 * finalization job claims drafts with SKIP LOCKED, so it passes this one by, and a request that waited for the job finds
 * the invoice finalized and is refused before any number is used — numbering stays gapless.
 */
public final class DraftInvoices {
    private final Transactions tx;
    private final InvoiceRepository invoices;
    private final InvoiceIssuer issuer;

    public DraftInvoices(Transactions tx, InvoiceRepository invoices, InvoiceIssuer issuer) {
        this.tx = tx;
        this.invoices = invoices;
        this.issuer = issuer;
    }

    public Invoice finalizeNow(Caller caller, String invoiceId) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            invoices.find(caller.tenantId(), invoiceId).orElseThrow(() -> AccrueException.notFound("invoice", invoiceId));
            if (!invoices.lockDraft(caller.tenantId(), invoiceId)) {
                Invoice now = invoices.find(caller.tenantId(), invoiceId).orElseThrow();
                throw new AccrueException(ErrorCode.INVOICE_NOT_DRAFT, "status", "Invoice " + invoiceId + " is "
                        + now.status().name().toLowerCase(Locale.ROOT) + "; only a draft can be finalized");
            }
            issuer.finalizeDraft(caller, caller.tenantId(), invoiceId);
            return invoices.find(caller.tenantId(), invoiceId).orElseThrow();
        });
    }
}

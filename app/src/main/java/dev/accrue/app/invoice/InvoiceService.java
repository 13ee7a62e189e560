package dev.accrue.app.invoice;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;

/** Reading invoices. They are created and finalized by billing; finalized invoices never change. */
public final class InvoiceService {
    private final Transactions tx;
    private final InvoiceRepository invoices;

    public InvoiceService(Transactions tx, InvoiceRepository invoices) {
        this.tx = tx;
        this.invoices = invoices;
    }

    public Invoice get(Caller caller, String id) {
        return tx.inTransaction(() -> invoices.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("invoice", id));
    }

    public Page<Invoice> list(Caller caller, InvoiceQuery query, PageRequest page) {
        return tx.inTransaction(() -> invoices.list(caller.tenantId(), query, page));
    }
}

package dev.accrue.app.invoice;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.creditnote.InvoiceVoids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceStatus;

import java.time.Clock;
import java.util.Locale;

/**
 * Reading invoices and settling them. Billing creates and finalizes invoices; a finalized invoice's lines
 * and amounts never change, only its status moves on: paid (recorded out of band until payments exist),
 * void (issued in error), or uncollectible (written off). Corrections are later documents. A proforma
 * marked paid becomes a paid invoice with the next invoice number ({@link ProformaInvoicing}).
 */
public final class InvoiceService {
    private final DomainEvents events;
    private final Transactions tx;
    private final InvoiceRepository invoices;
    private final AuditLog audit;
    private final Clock clock;
    private final ProformaInvoicing proformas;
    private final dev.accrue.app.document.InvoicePayments payments;
    private final InvoiceVoids voids;

    public InvoiceService(Transactions tx, InvoiceRepository invoices, AuditLog audit, Clock clock, ProformaInvoicing proformas,
                          dev.accrue.app.document.InvoicePayments payments, InvoiceVoids voids, DomainEvents events) {
        this.events = events;
        this.tx = tx;
        this.payments = payments;
        this.voids = voids;
        this.proformas = proformas;
        this.invoices = invoices;
        this.audit = audit;
        this.clock = clock;
    }

    public Invoice get(Caller caller, String id) {
        return tx.inTransaction(() -> invoices.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("invoice", id));
    }

    public Page<Invoice> list(Caller caller, InvoiceQuery query, PageRequest page) {
        return tx.inTransaction(() -> invoices.list(caller.tenantId(), query, page));
    }

    /**
     * Records a payment received outside Accrue; {@code reference} (the transfer's, at most 100 characters, or
     * null) is printed on the paid invoice.
     */
    public Invoice markPaid(Caller caller, String id, String reference) {
        if (reference != null && (reference.isBlank() || reference.length() > 100)) {
            throw AccrueException.invalid("reference", "reference must be 1-100 characters");
        }
        return tx.inTransaction(() -> {
            Invoice paid = settle(caller, id, InvoiceStatus.PAID);
            if (reference != null) {
                payments.recordReference(caller.tenantId(), paid.id(), reference.strip());
            }
            return paid;
        });
    }

    public Invoice settle(Caller caller, String id, InvoiceStatus to) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Invoice before = invoices.find(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("invoice", id));
            if (before.status() == InvoiceStatus.PROFORMA && to == InvoiceStatus.PAID) {
                return proformas.pay(caller, before);
            }
            if (before.status() == InvoiceStatus.PROFORMA && to == InvoiceStatus.VOID) {
                return proformas.voidProforma(caller, before);
            }
            if (before.status() == InvoiceStatus.FINALIZED && to == InvoiceStatus.VOID) {
                voids.beforeVoid(caller.tenantId(), before);
            }
            if (!invoices.settle(caller.tenantId(), id, to.name().toLowerCase(Locale.ROOT), clock.instant())) {
                throw new AccrueException(ErrorCode.INVOICE_NOT_OPEN, "status", "Invoice " + id + " is " + before.status().name().toLowerCase(Locale.ROOT)
                        + "; only a finalized, unsettled invoice (or, to be paid or voided, a proforma) can become "
                        + to.name().toLowerCase(Locale.ROOT));
            }
            Invoice after = invoices.find(caller.tenantId(), id).orElseThrow();
            audit.record(caller, "invoice", id, "invoice." + to.name().toLowerCase(Locale.ROOT), java.util.Map.of("status", before.status()),
                    java.util.Map.of("status", after.status()));
            if (to == InvoiceStatus.VOID) {
                events.record(caller.tenantId(), EventSnapshots.invoice(EventTypes.INVOICE_VOIDED, after, clock.instant()));
            }
            return after;
        });
    }
}

package dev.accrue.app.invoice;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An invoice. {@code billingKey} names what it bills (a subscription period or a change) and is unique per
 * tenant, which is what makes billing runs idempotent. {@code number} is assigned at finalization. A proforma
 * carries its PRO number in both {@code number} and {@code proformaNumber}; once paid it becomes an invoice
 * with an INV {@code number} and keeps {@code proformaNumber} as the reference to the proforma it settles.
 */
public record Invoice(String id, String customerId, String subscriptionId, String billingKey, String number,
                      InvoiceStatus status, Money subtotal, Money total, LocalDate issueDate, LocalDate dueDate,
                      LocalDate periodStart, LocalDate periodEnd, Instant createdAt, Instant finalizedAt,
                      List<InvoiceLine> lines, String proformaNumber, Money amountPaid) {

    /** An invoice as billing builds it: nothing paid on it yet ({@code amountPaid} is read back from payments). */
    public Invoice(String id, String customerId, String subscriptionId, String billingKey, String number,
                   InvoiceStatus status, Money subtotal, Money total, LocalDate issueDate, LocalDate dueDate,
                   LocalDate periodStart, LocalDate periodEnd, Instant createdAt, Instant finalizedAt,
                   List<InvoiceLine> lines, String proformaNumber) {
        this(id, customerId, subscriptionId, billingKey, number, status, subtotal, total, issueDate, dueDate, periodStart, periodEnd,
                createdAt, finalizedAt, lines, proformaNumber, null);
    }

    /** What was paid on it (automatic and manual payments); zero when unknown. */
    public Money paid() {
        return amountPaid == null ? Money.zero(total.currency()) : amountPaid;
    }

    /** What it still owes: nothing once paid (or void, or written off), else the total less what was paid. */
    public Money amountDue() {
        if (status != InvoiceStatus.FINALIZED) {
            return status == InvoiceStatus.PROFORMA ? total : Money.zero(total.currency());
        }
        Money due = total.minus(paid());
        return due.isNegative() ? Money.zero(total.currency()) : due;
    }

    /** An invoice that never was a proforma. */
    public Invoice(String id, String customerId, String subscriptionId, String billingKey, String number,
                   InvoiceStatus status, Money subtotal, Money total, LocalDate issueDate, LocalDate dueDate,
                   LocalDate periodStart, LocalDate periodEnd, Instant createdAt, Instant finalizedAt,
                   List<InvoiceLine> lines) {
        this(id, customerId, subscriptionId, billingKey, number, status, subtotal, total, issueDate, dueDate, periodStart, periodEnd,
                createdAt, finalizedAt, lines, null);
    }
}

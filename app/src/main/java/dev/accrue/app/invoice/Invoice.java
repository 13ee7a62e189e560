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
                      List<InvoiceLine> lines, String proformaNumber) {

    /** An invoice that never was a proforma. */
    public Invoice(String id, String customerId, String subscriptionId, String billingKey, String number,
                   InvoiceStatus status, Money subtotal, Money total, LocalDate issueDate, LocalDate dueDate,
                   LocalDate periodStart, LocalDate periodEnd, Instant createdAt, Instant finalizedAt,
                   List<InvoiceLine> lines) {
        this(id, customerId, subscriptionId, billingKey, number, status, subtotal, total, issueDate, dueDate, periodStart, periodEnd,
                createdAt, finalizedAt, lines, null);
    }
}

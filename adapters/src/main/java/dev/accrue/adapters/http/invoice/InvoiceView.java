package dev.accrue.adapters.http.invoice;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.invoice.InvoiceLine;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The wire form of an invoice: amounts as decimal strings in the invoice currency. A proforma has status
 * {@code proforma} and its PRO number in {@code number}; the invoice it becomes when paid keeps that number in
 * {@code proforma_number}.
 */
public record InvoiceView(String id, String object, String number, String proformaNumber, String status, String customerId, String subscriptionId,
                          String currency, String subtotal, String total, LocalDate issueDate, LocalDate dueDate,
                          LocalDate periodStart, LocalDate periodEnd, List<LineView> lines, Instant createdAt, Instant finalizedAt) {

    public record LineView(String kind, String chargeCode, String description, LocalDate periodStart, LocalDate periodEnd,
                           String quantity, String unitPrice, String amount) {
        public static LineView of(InvoiceLine l) {
            return new LineView(l.kind(), l.chargeCode(), l.description(), l.servicePeriod() == null ? null : l.servicePeriod().start(),
                    l.servicePeriod() == null ? null : l.servicePeriod().end(), l.quantity().stripTrailingZeros().toPlainString(),
                    l.unitPrice().toPlainMinorString(), l.amount().toPlainMinorString());
        }
    }

    public static InvoiceView of(Invoice i) {
        return new InvoiceView(i.id(), "invoice", i.number(), i.proformaNumber(), i.status().name().toLowerCase(), i.customerId(), i.subscriptionId(),
                i.total().currency().getCurrencyCode(), i.subtotal().toPlainMinorString(), i.total().toPlainMinorString(),
                i.issueDate(), i.dueDate(), i.periodStart(), i.periodEnd(), i.lines().stream().map(LineView::of).toList(),
                i.createdAt(), i.finalizedAt());
    }
}

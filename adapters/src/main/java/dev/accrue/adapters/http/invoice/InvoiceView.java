package dev.accrue.adapters.http.invoice;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The wire form of an invoice: amounts as decimal strings in the invoice currency. A proforma has status
 * {@code proforma} and its PRO number in {@code number}; the invoice it becomes when paid keeps that number in
 * {@code proforma_number}. {@code subtotal} is before tax, {@code tax} the sum of the tax lines, {@code total} what is
 * owed after tax, customer credit and prepaid payment; {@code taxes} restates each line of kind {@code tax} (or {@code tax_included},
 * the tax inside tax-inclusive prices, which does not add to the total) with named fields.
 */
public record InvoiceView(String id, String object, String number, String proformaNumber, String status, String customerId, String subscriptionId,
                          String currency, String subtotal, String tax, String total, List<TaxView> taxes, LocalDate issueDate, LocalDate dueDate,
                          LocalDate periodStart, LocalDate periodEnd, List<LineView> lines, Instant createdAt, Instant finalizedAt,
                          String amountPaid, String amountDue, String paymentStatus, String amountRefunded, String amountDisputed) {

    /** {@code sectionCustomerId}/{@code sectionName}: on a consolidated invoice, the child account the line is billed for. */
    public record LineView(String kind, String chargeCode, String description, LocalDate periodStart, LocalDate periodEnd,
                           String quantity, String unitPrice, String amount, String sectionCustomerId, String sectionName) {
        public static LineView of(InvoiceLine l) {
            return new LineView(l.kind(), l.chargeCode(), l.description(), l.servicePeriod() == null ? null : l.servicePeriod().start(),
                    l.servicePeriod() == null ? null : l.servicePeriod().end(), l.quantity().stripTrailingZeros().toPlainString(),
                    l.unitPrice().toPlainMinorString(), l.amount().toPlainMinorString(),
                    l.section() == null ? null : l.section().customerId(), l.section() == null ? null : l.section().name());
        }
    }

    /**
     * A tax line read back: a line of kind {@code tax} carries the tax type as its charge code, the rate as its quantity,
     * the taxable amount as its unit price and the tax as its amount (see DocumentTaxes).
     */
    public record TaxView(String type, String rate, String taxableAmount, String tax, String description, boolean included, String vatCategory,
                          String country, String region) {
        static TaxView of(InvoiceLine l) {
            return new TaxView(l.chargeCode(), l.quantity().stripTrailingZeros().toPlainString(), l.unitPrice().toPlainMinorString(),
                    l.amount().toPlainMinorString(), l.description(), InvoiceLine.TAX_INCLUDED.equals(l.kind()),
                    l.tax() == null ? null : l.tax().vatCategory(), l.tax() == null ? null : l.tax().country(), l.tax() == null ? null : l.tax().region());
        }
    }

    public static InvoiceView of(Invoice i) {
        List<InvoiceLine> taxLines = i.lines().stream().filter(InvoiceLine::isTax).toList();
        Money tax = taxLines.stream().map(InvoiceLine::amount).reduce(Money.zero(i.total().currency()), Money::plus);
        return new InvoiceView(i.id(), "invoice", i.number(), i.proformaNumber(), i.status().name().toLowerCase(), i.customerId(), i.subscriptionId(),
                i.total().currency().getCurrencyCode(), i.subtotal().toPlainMinorString(), tax.toPlainMinorString(), i.total().toPlainMinorString(),
                taxLines.stream().map(TaxView::of).toList(),
                i.issueDate(), i.dueDate(), i.periodStart(), i.periodEnd(), i.lines().stream().map(LineView::of).toList(),
                i.createdAt(), i.finalizedAt(), i.paid().toPlainMinorString(), i.amountDue().toPlainMinorString(), i.paymentStatus(),
                i.refunded().toPlainMinorString(), i.disputed().toPlainMinorString());
    }
}

package dev.accrue.app.export;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issued invoices and their lines for a period of issue dates [from, to), for accountants: every numbered
 * invoice (finalized, paid, void, uncollectible) and paid proformas' invoices; drafts and open proformas are
 * not issued documents and are left out. Amounts are the stored, already rounded amounts; an invoice's
 * lines add up to its subtotal, and subtotal + tax + prepaid = total.
 */
public final class InvoiceExport {
    public static final int MAX_DAYS = 366;
    private final Transactions tx;
    private final InvoiceRepository invoices;
    private final CustomerRepository customers;

    public InvoiceExport(Transactions tx, InvoiceRepository invoices, CustomerRepository customers) {
        this.tx = tx;
        this.invoices = invoices;
        this.customers = customers;
    }

    public record InvoiceRow(String invoiceId, String number, String status, String customerId, String customerName, String customerTaxId,
                             LocalDate issueDate, LocalDate dueDate, LocalDate periodStart, LocalDate periodEnd, String currency, String subtotal,
                             String tax, String prepaid, String total, String proformaNumber, String amountPaid, String amountRefunded,
                             String amountDisputed, String paymentStatus) {
    }

    public record LineRow(String invoiceId, String invoiceNumber, int lineNumber, String kind, String chargeCode, String description,
                          LocalDate periodStart, LocalDate periodEnd, String quantity, String unitPrice, String amount, String currency) {
    }

    public record Export(LocalDate from, LocalDate to, List<InvoiceRow> invoices, List<LineRow> lines) {
    }

    /** from and to are issue dates, to exclusive, at most {@link #MAX_DAYS} apart; shared by every export of a period. */
    static void checkPeriod(LocalDate from, LocalDate to) {
        if (from == null || to == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, from == null ? "from" : "to", "from and to (issue dates, to exclusive) are required");
        }
        if (!to.isAfter(from) || ChronoUnit.DAYS.between(from, to) > MAX_DAYS) {
            throw new AccrueException(ErrorCode.INVALID_PERIOD, "to", "to must be after from and at most " + MAX_DAYS + " days later, got " + from + " to " + to);
        }
    }

    public Export period(Caller caller, LocalDate from, LocalDate to) {
        checkPeriod(from, to);
        return tx.inTransaction(() -> {
            List<InvoiceRow> rows = new ArrayList<>();
            List<LineRow> lines = new ArrayList<>();
            Map<String, dev.accrue.core.customer.Customer> seen = new HashMap<>();
            String after = null;
            Page<Invoice> page;
            do {
                page = invoices.list(caller.tenantId(), new InvoiceQuery(null, null, null, from, to), new PageRequest(PageRequest.MAX_LIMIT, after));
                for (Invoice i : page.items()) {
                    after = i.id();
                    if (i.status() == InvoiceStatus.DRAFT || i.status() == InvoiceStatus.PROFORMA || i.number() == null) {
                        continue;
                    }
                    var customer = seen.computeIfAbsent(i.customerId(), id -> customers.find(caller.tenantId(), id).orElseThrow());
                    String currency = i.total().currency().getCurrencyCode();
                    Money tax = Money.zero(currency);
                    Money prepaid = Money.zero(currency);
                    Money subtotal = Money.zero(currency);
                    int n = 0;
                    for (InvoiceLine l : i.lines()) {
                        switch (l.kind()) {
                            case InvoiceLine.TAX -> tax = tax.plus(l.amount());
                            // inside tax-inclusive prices: part of the charged lines, so it comes out of their subtotal
                            case InvoiceLine.TAX_INCLUDED -> {
                                tax = tax.plus(l.amount());
                                subtotal = subtotal.minus(l.amount());
                            }
                            case InvoiceLine.PREPAID -> prepaid = prepaid.plus(l.amount());
                            default -> subtotal = subtotal.plus(l.amount());
                        }
                        lines.add(new LineRow(i.id(), i.number(), ++n, l.kind(), l.chargeCode(), l.description(),
                                l.servicePeriod() == null ? null : l.servicePeriod().start(),
                                l.servicePeriod() == null ? null : l.servicePeriod().end().minusDays(1), plain(l.quantity()), plain(l.unitPrice().amount()),
                                l.amount().toPlainMinorString(), currency));
                    }
                    rows.add(new InvoiceRow(i.id(), i.number(), i.status().name().toLowerCase(Locale.ROOT), i.customerId(), customer.legalName(),
                            customer.taxId(), i.issueDate(), i.dueDate(), i.periodStart(), i.periodEnd() == null ? null : i.periodEnd().minusDays(1),
                            currency, subtotal.toPlainMinorString(), tax.toPlainMinorString(), prepaid.toPlainMinorString(), i.total().toPlainMinorString(),
                            i.proformaNumber(), i.paid().toPlainMinorString(), i.refunded().toPlainMinorString(), i.disputed().toPlainMinorString(),
                            i.paymentStatus()));
                }
            } while (page.hasMore());
            rows.sort(java.util.Comparator.comparing(InvoiceRow::number));
            lines.sort(java.util.Comparator.comparing(LineRow::invoiceNumber).thenComparingInt(LineRow::lineNumber));
            return new Export(from, to, rows, lines);
        });
    }

    private static String plain(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }
}

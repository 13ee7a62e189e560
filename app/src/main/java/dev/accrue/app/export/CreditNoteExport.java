package dev.accrue.app.export;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.creditnote.CreditNoteRepository;
import dev.accrue.app.creditnote.CreditedRates;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.creditnote.InvoiceCredits;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.money.Money;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The credit notes issued in a period of issue dates [from, to) and their lines, for accountants: each with what it
 * gave back, tax included, split into net and tax as its document states ({@link CreditedRates}), so for every note
 * and every line net + tax = amount.
 */
public final class CreditNoteExport {
    private final Transactions tx;
    private final CreditNoteRepository notes;
    private final InvoiceRepository invoices;
    private final CustomerRepository customers;

    public CreditNoteExport(Transactions tx, CreditNoteRepository notes, InvoiceRepository invoices, CustomerRepository customers) {
        this.tx = tx;
        this.notes = notes;
        this.invoices = invoices;
        this.customers = customers;
    }

    public record NoteRow(String creditNoteId, String number, String invoiceId, String invoiceNumber, String customerId, String customerName,
                          String customerTaxId, LocalDate issueDate, String currency, String net, String tax, String total, String resolution,
                          String reason) {
    }

    public record LineRow(String creditNoteId, String creditNoteNumber, int lineNumber, Integer invoiceLine, String description, String net,
                          String tax, String amount, String currency) {
    }

    public record Export(LocalDate from, LocalDate to, List<NoteRow> notes, List<LineRow> lines) {
    }

    public Export period(Caller caller, LocalDate from, LocalDate to) {
        InvoiceExport.checkPeriod(from, to);
        return tx.inTransaction(() -> {
            List<NoteRow> rows = new ArrayList<>();
            List<LineRow> lines = new ArrayList<>();
            Map<String, Customer> customersSeen = new HashMap<>();
            Map<String, Invoice> invoicesSeen = new HashMap<>();
            Map<String, List<CreditNote>> notesOf = new HashMap<>();
            String after = null;
            Page<CreditNote> page;
            do {
                page = notes.list(caller.tenantId(), null, null, new PageRequest(PageRequest.MAX_LIMIT, after));
                for (CreditNote n : page.items()) {
                    after = n.id();
                    if (n.issueDate().isBefore(from) || !n.issueDate().isBefore(to)) {
                        continue;
                    }
                    Invoice invoice = invoicesSeen.computeIfAbsent(n.invoiceId(), id -> invoices.find(caller.tenantId(), id).orElseThrow());
                    List<CreditNote> ofInvoice = notesOf.computeIfAbsent(n.invoiceId(), id -> notes.ofInvoice(caller.tenantId(), id));
                    Customer customer = customersSeen.computeIfAbsent(n.customerId(), id -> customers.find(caller.tenantId(), id).orElseThrow());
                    String currency = n.total().currency().getCurrencyCode();
                    Money zero = Money.zero(currency);
                    Money net = zero;
                    Money tax = zero;
                    List<List<InvoiceCredits.Part>> split = CreditedRates.split(invoice, ofInvoice, n);
                    for (int i = 0; i < n.lines().size(); i++) {
                        CreditNote.Line l = n.lines().get(i);
                        Money lineNet = split.get(i).stream().map(InvoiceCredits.Part::net).reduce(zero, Money::plus);
                        Money lineTax = split.get(i).stream().map(InvoiceCredits.Part::tax).reduce(zero, Money::plus);
                        lines.add(new LineRow(n.id(), n.number(), i + 1, l.invoiceLine(), l.description(), lineNet.toPlainMinorString(),
                                lineTax.toPlainMinorString(), l.amount().toPlainMinorString(), currency));
                        net = net.plus(lineNet);
                        tax = tax.plus(lineTax);
                    }
                    rows.add(new NoteRow(n.id(), n.number(), n.invoiceId(), n.invoiceNumber(), n.customerId(), customer.legalName(), customer.taxId(),
                            n.issueDate(), currency, net.toPlainMinorString(), tax.toPlainMinorString(), n.total().toPlainMinorString(), n.resolution(),
                            n.reason()));
                }
            } while (page.hasMore());
            rows.sort(Comparator.comparing(NoteRow::number));
            lines.sort(Comparator.comparing(LineRow::creditNoteNumber).thenComparingInt(LineRow::lineNumber));
            return new Export(from, to, rows, lines);
        });
    }
}

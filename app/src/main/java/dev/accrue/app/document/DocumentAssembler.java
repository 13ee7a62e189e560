package dev.accrue.app.document;

import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.creditnote.CreditedRates;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.wallet.Receipt;
import dev.accrue.app.wallet.WalletEntry;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.customer.BillingAddress;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.LineTax;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.money.Money;
import dev.accrue.core.seller.SellerIdentity;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns what billing stored (an invoice, a receipt, a month of a wallet) into the {@link Document} a
 * customer reads. The one place that decides which invoice lines are charged items and which are rows under
 * them, and that checks the rows add up to the invoice's total: a document never shows numbers that do not
 * reconcile.
 */
public final class DocumentAssembler {
    /** Line kinds shown as rows under the subtotal rather than as items: taxes, and what was already paid. */
    static final Set<String> BELOW_SUBTOTAL = Set.of(InvoiceLine.TAX, InvoiceLine.TAX_INCLUDED, InvoiceLine.PREPAID);

    private DocumentAssembler() {
    }

    public static Document invoice(SellerIdentity seller, Customer customer, Invoice invoice, InvoicePayments.Paid paid) {
        return invoice(seller, customer, invoice, paid, List.of());
    }

    /**
     * The invoice's document. A finalized invoice that payments paid in part lists each payment received (date,
     * method, reference, amount) under the total and shows the amount still due — total less what was paid — as
     * what the customer owes; a paid one keeps its single "Paid" row with the date and reference of the payment that
     * settled it. (Payment rows are of kind {@code paid}, which the e-invoice counts as the prepaid amount, BT-113.)
     */
    public static Document invoice(SellerIdentity seller, Customer customer, Invoice invoice, InvoicePayments.Paid paid,
                                   List<InvoicePayments.Received> received) {
        String currency = invoice.total().currency().getCurrencyCode();
        Money zero = Money.zero(currency);
        List<Document.Line> items = new ArrayList<>();
        List<Document.TaxLine> taxes = new ArrayList<>();
        List<Document.Total> rows = new ArrayList<>();
        Map<Integer, Money> chargedPerGroup = new HashMap<>();
        Money subtotal = zero;
        InvoiceLine.Section section = null;
        for (InvoiceLine l : invoice.lines()) {
            if (!BELOW_SUBTOTAL.contains(l.kind())) {
                LineTax t = l.tax();
                // a consolidated invoice prints each child's lines under the child's name
                String heading = l.section() != null && !l.section().equals(section) ? l.section().name() : null;
                section = l.section();
                items.add(new Document.Line(l.kind(), l.chargeCode(), l.description(), l.servicePeriod() == null ? null : l.servicePeriod().start(),
                        l.servicePeriod() == null ? null : l.servicePeriod().end().minusDays(1), l.quantity(), l.unitPrice(), l.amount(),
                        t == null ? null : t.group(), t == null ? null : t.vatCategory(), heading));
                subtotal = subtotal.plus(l.amount());
                if (t != null && t.group() != null) {
                    chargedPerGroup.merge(t.group(), l.amount(), Money::plus);
                }
            }
        }
        rows.add(new Document.Total("subtotal", "Subtotal", subtotal, false));
        Money total = subtotal;
        Money includedTax = zero;
        List<Document.Total> included = new ArrayList<>();
        for (InvoiceLine l : invoice.lines()) {
            if (!l.isTax()) {
                continue;
            }
            boolean inPrices = InvoiceLine.TAX_INCLUDED.equals(l.kind());
            LineTax t = l.tax();
            Document.TaxLine tax = new Document.TaxLine(l.chargeCode(), l.quantity(), l.unitPrice(), l.amount(), t == null ? null : t.group(),
                    t == null ? null : t.vatCategory(), mention(l.description()), inPrices);
            if (t != null && t.group() != null) {
                // the rounding per rate reconciles: what the lines of this rate were charged is its net (plus its tax, when included)
                Money charged = chargedPerGroup.getOrDefault(t.group(), zero);
                Money expected = inPrices ? l.unitPrice().plus(l.amount()) : l.unitPrice();
                if (charged.compareTo(expected) != 0) {
                    throw new IllegalStateException("Invoice " + invoice.id() + " does not reconcile: the lines taxed by '" + l.description()
                            + "' come to " + charged.toPlainMinorString() + " but its " + (inPrices ? "net plus tax" : "taxable amount") + " is "
                            + expected.toPlainMinorString());
                }
            }
            taxes.add(tax);
            if (inPrices) {
                included.add(new Document.Total("tax_included", l.description(), l.amount(), false));
                includedTax = includedTax.plus(l.amount());
            } else {
                rows.add(new Document.Total("tax", l.section() == null ? l.description() : l.description() + " — " + l.section().name(), l.amount(), false));
                total = total.plus(l.amount());
            }
        }
        rows.add(new Document.Total("total", "Total", total, true));
        if (!included.isEmpty()) {
            // tax-inclusive prices: the total already holds the tax; show the net it came from and the tax per rate inside it
            Money charges = items.stream().filter(i -> !InvoiceLine.CREDIT.equals(i.kind())).map(Document.Line::amount).reduce(zero, Money::plus);
            if (invoice.subtotal().plus(includedTax).compareTo(charges) != 0) {
                throw new IllegalStateException("Invoice " + invoice.id() + " does not reconcile: its net " + invoice.subtotal().toPlainMinorString()
                        + " plus the tax included " + includedTax.toPlainMinorString() + " is not what its lines charged, " + charges.toPlainMinorString());
            }
            rows.add(new Document.Total("net", "Net amount", invoice.subtotal(), false));
            rows.addAll(included);
        }
        Money due = total;
        for (InvoiceLine l : invoice.lines()) {
            if (InvoiceLine.PREPAID.equals(l.kind())) {
                rows.add(new Document.Total("prepaid", l.description(), l.amount(), false));
                due = due.plus(l.amount());
            }
        }
        if (due.compareTo(invoice.total()) != 0) {
            throw new IllegalStateException("Invoice " + invoice.id() + " does not reconcile: its lines come to " + due.toPlainMinorString()
                    + " but its total is " + invoice.total().toPlainMinorString());
        }
        boolean settled = invoice.status() == InvoiceStatus.PAID;
        Money amountDue = settled || invoice.status() == InvoiceStatus.VOID ? zero : due;
        if (settled && !due.isZero()) {
            rows.add(new Document.Total("paid", "Paid", due.negate(), false));
        }
        Money takenBack = invoice.refunded().plus(invoice.disputed());
        if (invoice.status() == InvoiceStatus.FINALIZED && (invoice.paid().isPositive() || takenBack.isPositive())) {
            Money listed = received.stream().map(InvoicePayments.Received::applied).reduce(zero, Money::plus);
            if (listed.minus(takenBack).compareTo(invoice.paid()) == 0) {
                for (InvoicePayments.Received r : received) {
                    rows.add(new Document.Total("paid", receivedLabel(r, customer), r.applied().negate(), false));
                }
                // money given back raises what is owed again: the rows add up to the amount due
                takenBackRows(invoice, rows);
            } else {
                rows.add(new Document.Total("paid", "Paid so far", invoice.paid().negate(), false));
            }
            amountDue = invoice.amountDue();
        }
        rows.add(new Document.Total("amount_due", "Amount due", amountDue, true));
        if (settled && takenBack.isPositive()) {
            // a paid invoice stays settled when money goes back (nothing is owed again): what went back, after the amount due
            takenBackRows(invoice, rows);
            rows.add(new Document.Total("net_paid", "Paid after refunds and disputes", invoice.paid(), false));
        }
        DocumentKind kind = invoice.status() == InvoiceStatus.PROFORMA ? DocumentKind.PROFORMA : DocumentKind.INVOICE;
        List<String> notes = new ArrayList<>();
        if (invoice.proformaNumber() != null && kind == DocumentKind.INVOICE) {
            notes.add("Settles proforma " + invoice.proformaNumber() + ".");
        }
        if (kind == DocumentKind.PROFORMA) {
            notes.add("This proforma is a request for payment, not a tax invoice; the invoice follows once it is paid.");
        }
        if (invoice.status() == InvoiceStatus.VOID) {
            notes.add("This document was voided and is not payable.");
        }
        Document.Payment payment = paid == null || paid.at() == null ? null
                : new Document.Payment(paid.at().atZone(customer.timeZone()).toLocalDate(), paid.reference());
        return new Document(kind, invoice.id(), invoice.number() == null ? "DRAFT" : invoice.number(), invoice.status().name().toLowerCase(Locale.ROOT),
                invoice.issueDate(), invoice.dueDate(), invoice.periodStart(), invoice.periodEnd() == null ? null : invoice.periodEnd().minusDays(1),
                party(seller), party(customer), currency, items, taxes, rows, amountDue, terms(invoice.issueDate(), invoice.dueDate(), seller),
                payment, branding(seller), notes, invoice.billingKey());
    }

    /** Money taken back off what was paid (TakeBacks): refunds, and disputes open or lost. Kinds the e-invoice does not count as prepaid. */
    private static void takenBackRows(Invoice invoice, List<Document.Total> rows) {
        if (invoice.refunded().isPositive()) {
            rows.add(new Document.Total("refunded", "Refunded", invoice.refunded(), false));
        }
        if (invoice.disputed().isPositive()) {
            rows.add(new Document.Total("disputed", "Disputed by the payer's bank", invoice.disputed(), false));
        }
    }

    private static String receivedLabel(InvoicePayments.Received r, Customer customer) {
        LocalDate on = r.receivedOn() != null ? r.receivedOn() : r.settledAt() == null ? null : r.settledAt().atZone(customer.timeZone()).toLocalDate();
        return "Payment received" + (on == null ? "" : " " + on) + " (" + r.method() + (r.reference() == null ? "" : ", " + r.reference()) + ")";
    }

    /**
     * A credit note, in its invoice's manner: the credited lines (a whole line at the invoice line's quantity and unit
     * price, a part of a line or of the invoice at quantity 1), one line per rate for a credit of the whole invoice, and
     * each rate's net and tax as {@link CreditedRates} booked them. For tax-exclusive prices the lines show their net and
     * the tax is added under them (Subtotal, VAT x %, Total credited); for tax-inclusive prices the lines show what was
     * charged and the tax inside it (Total credited, Net amount, VAT x % included). Refuses a note whose rates do not add
     * up to its total.
     */
    public static Document creditNote(SellerIdentity seller, Customer customer, Invoice invoice, List<CreditNote> notesOfInvoice, CreditNote note) {
        String currency = note.total().currency().getCurrencyCode();
        Money zero = Money.zero(currency);
        List<CreditedRates.Rate> rates = CreditedRates.of(invoice, notesOfInvoice, note);
        List<Document.Line> items = new ArrayList<>();
        List<Document.TaxLine> taxes = new ArrayList<>();
        List<Document.Total> added = new ArrayList<>();
        List<Document.Total> included = new ArrayList<>();
        Money shown = zero;
        Money net = zero;
        Money gross = zero;
        for (CreditedRates.Rate r : rates) {
            InvoiceLine t = r.taxLine();
            boolean inPrices = t != null && InvoiceLine.TAX_INCLUDED.equals(t.kind());
            if (t != null) {
                taxes.add(new Document.TaxLine(t.chargeCode(), t.quantity(), r.net(), r.tax(), r.group(), r.vatCategory(), mention(t.description()), inPrices));
                if (inPrices) {
                    included.add(new Document.Total("tax_included", taxLabel(t) + " included", r.tax(), false));
                } else {
                    added.add(new Document.Total("tax", t.description(), r.tax(), false));
                }
            }
            for (CreditedRates.Part p : r.parts()) {
                InvoiceLine il = p.invoiceLine();
                Money amount = inPrices ? p.gross() : p.net();
                boolean wholeLine = il != null && amount.compareTo(il.amount()) == 0;
                String description = il == null && rates.size() > 1 && t != null ? p.line().description() + " (" + taxLabel(t) + ")" : p.line().description();
                items.add(new Document.Line("credit_note", il == null ? null : il.chargeCode(), description,
                        il == null || il.servicePeriod() == null ? null : il.servicePeriod().start(),
                        il == null || il.servicePeriod() == null ? null : il.servicePeriod().end().minusDays(1),
                        wholeLine ? il.quantity() : BigDecimal.ONE, wholeLine ? il.unitPrice() : amount, amount, r.group(), r.vatCategory()));
                shown = shown.plus(amount);
            }
            net = net.plus(r.net());
            gross = gross.plus(r.gross());
        }
        if (gross.compareTo(note.total()) != 0) {
            throw new IllegalStateException("Credit note " + note.id() + " does not reconcile: its lines on the invoice's rates come to "
                    + gross.toPlainMinorString() + " but its total is " + note.total().toPlainMinorString());
        }
        List<Document.Total> rows = new ArrayList<>();
        if (!added.isEmpty()) {
            rows.add(new Document.Total("subtotal", "Subtotal", shown, false));
            rows.addAll(added);
        }
        rows.add(new Document.Total("total", "Total credited", note.total(), true));
        if (!included.isEmpty()) {
            rows.add(new Document.Total("net", "Net amount", net, false));
            rows.addAll(included);
        }
        List<String> notes = new ArrayList<>();
        notes.add("Corrects invoice " + invoice.number() + " of " + invoice.issueDate() + ".");
        notes.add("Reason: " + note.reason());
        notes.add(CreditNote.RESOLUTION_CREDIT.equals(note.resolution())
                ? "Resolved as credit: " + note.total().toPlainMinorString() + " " + currency + " added to your credit balance, used by your next invoices."
                : "Resolved as a refund of " + note.total().toPlainMinorString() + " " + currency + ".");
        return new Document(DocumentKind.CREDIT_NOTE, note.id(), note.number(), "issued", note.issueDate(), null, invoice.periodStart(),
                invoice.periodEnd() == null ? null : invoice.periodEnd().minusDays(1), party(seller), party(customer), currency, items, taxes, rows, zero,
                CreditNote.RESOLUTION_CREDIT.equals(note.resolution()) ? "Credited to the customer's credit balance" : "Refunded", null,
                branding(seller), notes, invoice.number(), invoice.issueDate());
    }

    /** "VAT 20 %" — the tax line's description up to its legal mention. */
    private static String taxLabel(InvoiceLine taxLine) {
        String d = taxLine.description();
        int at = d.indexOf(" — ");
        String label = at < 0 ? d : d.substring(0, at);
        return label.endsWith(" included") ? label.substring(0, label.length() - " included".length()) : label;
    }

    public static Document receipt(SellerIdentity seller, Customer customer, Receipt r) {
        String currency = r.amount().currency().getCurrencyCode();
        LocalDate date = r.createdAt().atZone(customer.timeZone()).toLocalDate();
        var line = new Document.Line("top_up", null, "Credit added to your prepaid balance", null, null, BigDecimal.ONE, r.amount(), r.amount());
        String vat = "VAT";
        var taxes = r.taxRate().signum() == 0 ? List.<Document.TaxLine>of() : List.of(new Document.TaxLine(vat, r.taxRate(), r.amount(), r.tax()));
        List<Document.Total> rows = new ArrayList<>();
        rows.add(new Document.Total("subtotal", "Subtotal", r.amount(), false));
        for (var t : taxes) {
            rows.add(new Document.Total("tax", t.type() + " " + t.rateText(), t.tax(), false));
        }
        rows.add(new Document.Total("total", "Total paid", r.total(), true));
        rows.add(new Document.Total("balance", "New prepaid balance", r.balanceAfter(), false));
        return new Document(DocumentKind.RECEIPT, r.id(), r.number(), "paid", date, null, null, null, party(seller), party(customer), currency, List.of(line),
                taxes, rows, Money.zero(currency), null, new Document.Payment(date, r.number()), branding(seller), List.of(), r.entryId());
    }

    /** A payment receipt: the amount, how it was paid (brand and last four, or the transfer), the date and the reference. */
    public static Document paymentReceipt(SellerIdentity seller, Customer customer, PaymentReceiptFacts.Receipt r) {
        String currency = r.amount().currency().getCurrencyCode();
        LocalDate date = r.receivedOn() != null ? r.receivedOn() : r.settledAt().atZone(customer.timeZone()).toLocalDate();
        String paid = "Payment by " + r.method() + (r.invoiceNumber() == null ? "" : " for invoice " + r.invoiceNumber());
        var line = new Document.Line("payment", null, paid, null, null, BigDecimal.ONE, r.amount(), r.amount());
        List<Document.Total> rows = new ArrayList<>();
        rows.add(new Document.Total("total", "Total paid", r.amount(), true));
        if (r.applied() != null && r.credited() != null && r.credited().isPositive()) {
            rows.add(new Document.Total("applied", "Applied to the invoice", r.applied(), false));
            rows.add(new Document.Total("credited", "Added to your credit balance", r.credited(), false));
        }
        if (r.refunded() != null && r.refunded().isPositive()) {
            // the receipt stays the record of the money received; what went back since is shown under it
            rows.add(new Document.Total("refunded", "Refunded since", r.refunded(), false));
            rows.add(new Document.Total("net_paid", "Kept after refunds", r.amount().minus(r.refunded()), false));
        }
        List<String> notes = new ArrayList<>();
        notes.add("Paid with " + r.method() + (r.reference() == null ? "." : ", reference " + r.reference() + "."));
        return new Document(DocumentKind.PAYMENT_RECEIPT, r.paymentId(), r.number(), "paid", date, null, null, null, party(seller), party(customer), currency,
                List.of(line), List.of(), rows, Money.zero(currency), null, new Document.Payment(date, r.reference()), branding(seller), notes, r.invoiceNumber());
    }

    public static Document statement(SellerIdentity seller, Customer customer, WalletService.Statement s) {
        String currency = s.opening().currency().getCurrencyCode();
        List<Document.Line> lines = new ArrayList<>();
        for (WalletEntry e : s.entries()) {
            LocalDate day = e.createdAt().atZone(customer.timeZone()).toLocalDate();
            lines.add(new Document.Line(e.kind().wire(), null, e.description(), day, day, BigDecimal.ONE, e.amount(), e.amount()));
        }
        List<Document.Total> rows = List.of(new Document.Total("opening", "Opening balance", s.opening(), false),
                new Document.Total("consumption", "Consumption", s.consumption(), false),
                new Document.Total("closing", "Closing balance", s.closing(), true),
                new Document.Total("amount_due", "Amount owed on invoices", s.owed(), true));
        LocalDate first = s.month().atDay(1);
        return new Document(DocumentKind.STATEMENT, customer.id() + ":" + s.month(), "STM-" + s.month() + "-" + customer.id(), "issued",
                s.month().plusMonths(1).atDay(1), null, first, s.month().atEndOfMonth(), party(seller), party(customer), currency, lines, List.of(), rows,
                s.owed(), null, null, branding(seller), List.of("Prepaid account statement for " + s.month() + "."), null);
    }

    /** The legal mention of a tax line ("VAT 0 % — Reverse charge — …" → "Reverse charge — …"), or null. */
    private static String mention(String description) {
        int at = description.indexOf(" — ");
        return at < 0 ? null : description.substring(at + 3);
    }

    static Document.Party party(SellerIdentity s) {
        return new Document.Party(null, s.legalName(), s.addressLines(), s.addressLine1(), s.city(), s.postalCode(), s.country(), s.vatId(), s.taxId(),
                s.registrationNumber(), s.email(), s.phone(), s.website());
    }

    static Document.Party party(Customer c) {
        BillingAddress a = c.billingAddress();
        List<String> lines = new ArrayList<>();
        if (a != null) {
            Stream.of(a.line1(), a.line2()).filter(DocumentAssembler::present).forEach(lines::add);
            String cityLine = String.join(" ", Stream.of(a.postalCode(), a.city()).filter(DocumentAssembler::present).toList());
            if (present(a.region())) {
                cityLine = cityLine.isEmpty() ? a.region() : cityLine + ", " + a.region();
            }
            if (!cityLine.isEmpty()) {
                lines.add(cityLine);
            }
            if (present(a.country())) {
                lines.add(Locale.of("", a.country()).getDisplayCountry(Locale.ENGLISH));
            }
        }
        return new Document.Party(c.id(), c.legalName(), lines, a == null ? null : a.line1(), a == null ? null : a.city(), a == null ? null : a.postalCode(),
                a == null ? null : a.country(), c.taxId(), null, null, c.billingEmails().isEmpty() ? null : c.billingEmails().getFirst(), null, null);
    }

    private static Document.Branding branding(SellerIdentity s) {
        String logo = s.logoPng() == null ? null
                : "data:" + (s.logoPng()[0] == (byte) 0x89 ? "image/png" : "image/jpeg") + ";base64," + Base64.getEncoder().encodeToString(s.logoPng());
        return new Document.Branding(s.brandColor(), logo, s.invoiceFooter(), s.bankAccountHolder(), s.bankName(), s.iban(), s.bic());
    }

    private static String terms(LocalDate issued, LocalDate due, SellerIdentity seller) {
        if (due != null && issued != null) {
            long days = due.toEpochDay() - issued.toEpochDay();
            return days <= 0 ? "Due on receipt" : "Net " + days + " days";
        }
        return seller.paymentTermsDays() == 0 ? "Due on receipt" : "Net " + seller.paymentTermsDays() + " days";
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}

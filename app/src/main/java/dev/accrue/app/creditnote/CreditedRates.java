package dev.accrue.app.creditnote;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.creditnote.InvoiceCredits;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.tax.LineTaxShares;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a credit note took back, per invoice line and per rate, with tax: its stored amounts (what was given back, tax
 * included) booked on the invoice's lines by {@link InvoiceCredits} after every earlier note of the invoice, in the
 * order they were written. The credit note's document, its e-invoice and the tax report all read this one split, so
 * they state the same net and tax; crediting an invoice in full takes back, per rate, exactly its net and its tax.
 */
public final class CreditedRates {
    private CreditedRates() {
    }

    /**
     * One rate of the credit note. {@code taxLine} is the invoice's tax line covering it (null: charges no tax line
     * covered, e.g. an export or a tenant collecting no tax); {@code parts} the credit note's lines (or their shares) on
     * this rate.
     */
    public record Rate(InvoiceLine taxLine, Integer group, String vatCategory, Money net, Money tax, List<Part> parts) {
        public Money gross() {
            return net.plus(tax);
        }
    }

    /** A credited amount on one rate: the credit note's line, the invoice line it names (null for a whole-invoice share), net and tax. */
    public record Part(CreditNote.Line line, InvoiceLine invoiceLine, Money net, Money tax) {
        public Money gross() {
            return net.plus(tax);
        }
    }

    /** The invoice's credits after booking {@code notes} (any order: they are booked oldest first). */
    public static InvoiceCredits after(Invoice invoice, List<CreditNote> notes) {
        InvoiceCredits credits = InvoiceCredits.of(invoice.lines(), Money.zero(invoice.total().currency()));
        for (CreditNote n : inOrder(notes)) {
            book(credits, n);
        }
        return credits;
    }

    /**
     * What {@code note} took back from each invoice line: for each of its lines, the parts. {@code notes} are all the
     * notes of the invoice (it included); those written before it are booked first.
     */
    public static List<List<InvoiceCredits.Part>> split(Invoice invoice, List<CreditNote> notes, CreditNote note) {
        InvoiceCredits credits = InvoiceCredits.of(invoice.lines(), Money.zero(invoice.total().currency()));
        for (CreditNote n : inOrder(notes)) {
            if (n.id().equals(note.id())) {
                break;
            }
            book(credits, n);
        }
        return book(credits, note);
    }

    /** The credit note's rates, in the order of the invoice's lines. */
    public static List<Rate> of(Invoice invoice, List<CreditNote> notes, CreditNote note) {
        List<List<InvoiceCredits.Part>> split = split(invoice, notes, note);
        Map<LineTaxShares.Pool, List<Part>> parts = new LinkedHashMap<>();
        Map<LineTaxShares.Pool, InvoiceLine> taxLines = new LinkedHashMap<>();
        Map<LineTaxShares.Pool, String> categories = new LinkedHashMap<>();
        for (int i = 0; i < note.lines().size(); i++) {
            CreditNote.Line cl = note.lines().get(i);
            // a whole-invoice credit shows one part per rate; a line credit the part of its line
            Map<LineTaxShares.Pool, Part> perPool = new LinkedHashMap<>();
            for (InvoiceCredits.Part p : split.get(i)) {
                LineTaxShares.Pool pool = p.share().pool();
                taxLines.putIfAbsent(pool, p.share().taxLine());
                InvoiceLine il = invoice.lines().get(p.share().line() - 1);
                categories.putIfAbsent(pool, il.tax() == null ? null : il.tax().vatCategory());
                perPool.merge(pool, new Part(cl, cl.invoiceLine() == null ? null : il, p.net(), p.tax()),
                        (a, b) -> new Part(cl, null, a.net().plus(b.net()), a.tax().plus(b.tax())));
            }
            perPool.forEach((pool, part) -> parts.computeIfAbsent(pool, k -> new ArrayList<>()).add(part));
        }
        Money zero = Money.zero(invoice.total().currency());
        List<Rate> out = new ArrayList<>();
        parts.forEach((pool, ps) -> out.add(new Rate(taxLines.get(pool), pool.group(), categories.get(pool),
                ps.stream().map(Part::net).reduce(zero, Money::plus), ps.stream().map(Part::tax).reduce(zero, Money::plus), ps)));
        return out;
    }

    private static List<List<InvoiceCredits.Part>> book(InvoiceCredits credits, CreditNote note) {
        List<List<InvoiceCredits.Part>> out = new ArrayList<>();
        for (CreditNote.Line l : note.lines()) {
            out.add(credits.credit(l.invoiceLine(), l.amount()));
        }
        return out;
    }

    /** Oldest first: by number within the tenant's gapless series (numbers of one invoice's notes are taken under its lock). */
    private static List<CreditNote> inOrder(List<CreditNote> notes) {
        return notes.stream().sorted(Comparator.comparingLong(CreditedRates::numberOf)).toList();
    }

    private static long numberOf(CreditNote n) {
        return Long.parseLong(n.number().substring(n.number().indexOf('-') + 1));
    }
}

package dev.accrue.app.export;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.creditnote.CreditNoteRepository;
import dev.accrue.app.creditnote.CreditedRates;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.creditnote.InvoiceCredits;
import dev.accrue.core.money.Money;
import dev.accrue.core.tax.TaxedLines;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tax report of a period of issue dates [from, to), for the tax return: taxable amount and tax per jurisdiction
 * (country, region), tax type, rate and EN 16931 VAT category, and currency — the issued invoices of the period
 * (void ones cancelled nothing was supplied) minus the credit notes issued in it.
 *
 * <p>An invoice adds each of its tax lines (taxable = its net, tax = its tax) and, for charges no tax line covers
 * (exports, supplies outside the scope, a tenant that collects no tax), their amount at rate 0 under their recorded
 * category. A credit note takes back, from the rate of each invoice line it credited, that line's net and tax as
 * {@link CreditedRates} books them (the one split its document and e-invoice state too): an invoice credited in full
 * takes back exactly its own rows. So the report reconciles to the cent: for each currency, Σ (taxable + tax) of its rows equals
 * Σ of the period's invoices' charges with tax (their totals before customer credit and prepaid payment) less
 * Σ of the period's credit note totals — the {@code totals} it answers beside the rows.
 */
public final class TaxReport {
    private final Transactions tx;
    private final InvoiceRepository invoices;
    private final CreditNoteRepository creditNotes;

    public TaxReport(Transactions tx, InvoiceRepository invoices, CreditNoteRepository creditNotes) {
        this.tx = tx;
        this.invoices = invoices;
        this.creditNotes = creditNotes;
    }

    /** One line of the report. {@code region}, {@code taxType} and {@code vatCategory} are empty when not known (no tax collected). */
    public record Row(String country, String region, String taxType, String rate, String vatCategory, String currency, String taxableAmount, String tax,
                      int invoices, int creditNotes) {
    }

    /** Per currency: what the period's invoices charged with tax, what its credit notes took back, and the difference the rows add up to. */
    public record Total(String currency, String invoiced, String credited, String net) {
    }

    public record Report(LocalDate from, LocalDate to, List<Row> rows, List<Total> totals) {
    }

    private record Key(String currency, String country, String region, String taxType, BigDecimal rate, String vatCategory) {
    }

    private static final class Sum {
        Money taxable;
        Money tax;
        final Set<String> invoices = new HashSet<>();
        final Set<String> notes = new HashSet<>();

        Sum(Money zero) {
            taxable = zero;
            tax = zero;
        }
    }

    /** A rate of one invoice: its key, what it taxed and its tax, and the invoice lines (0-based) it covers. */
    private record Bucket(Key key, Money taxable, Money tax, List<Integer> lines) {
        Money gross() {
            return taxable.plus(tax);
        }
    }

    public Report period(Caller caller, LocalDate from, LocalDate to) {
        InvoiceExport.checkPeriod(from, to);
        return tx.inTransaction(() -> {
            Map<Key, Sum> sums = new TreeMap<>(Comparator.comparing(Key::currency).thenComparing(k -> nz(k.country())).thenComparing(k -> nz(k.region()))
                    .thenComparing(k -> nz(k.taxType())).thenComparing(Key::rate).thenComparing(k -> nz(k.vatCategory())));
            Map<String, Money[]> totals = new TreeMap<>();
            String after = null;
            Page<Invoice> page;
            do {
                page = invoices.list(caller.tenantId(), new InvoiceQuery(null, null, null, from, to), new PageRequest(PageRequest.MAX_LIMIT, after));
                for (Invoice i : page.items()) {
                    after = i.id();
                    if (!issued(i)) {
                        continue;
                    }
                    Money zero = Money.zero(i.total().currency());
                    for (Bucket b : buckets(i)) {
                        Sum s = sums.computeIfAbsent(b.key(), k -> new Sum(zero));
                        s.taxable = s.taxable.plus(b.taxable());
                        s.tax = s.tax.plus(b.tax());
                        s.invoices.add(i.id());
                        totals.computeIfAbsent(zero.currency().getCurrencyCode(), c -> new Money[]{zero, zero})[0] =
                                totals.get(zero.currency().getCurrencyCode())[0].plus(b.gross());
                    }
                }
            } while (page.hasMore());
            after = null;
            Page<CreditNote> notes;
            Map<String, Invoice> credited = new LinkedHashMap<>();
            Map<String, List<CreditNote>> notesOf = new LinkedHashMap<>();
            do {
                notes = creditNotes.list(caller.tenantId(), null, null, new PageRequest(PageRequest.MAX_LIMIT, after));
                for (CreditNote n : notes.items()) {
                    after = n.id();
                    if (n.issueDate().isBefore(from) || !n.issueDate().isBefore(to)) {
                        continue;
                    }
                    Invoice i = credited.computeIfAbsent(n.invoiceId(), id -> invoices.find(caller.tenantId(), id).orElseThrow());
                    Money zero = Money.zero(i.total().currency());
                    List<CreditNote> all = notesOf.computeIfAbsent(n.invoiceId(), id -> creditNotes.ofInvoice(caller.tenantId(), id));
                    for (var e : takenBack(i, all, n).entrySet()) {
                        Sum s = sums.computeIfAbsent(e.getKey(), k -> new Sum(zero));
                        s.taxable = s.taxable.minus(e.getValue()[0]);
                        s.tax = s.tax.minus(e.getValue()[1]);
                        s.notes.add(n.id());
                    }
                    totals.computeIfAbsent(zero.currency().getCurrencyCode(), c -> new Money[]{zero, zero})[1] =
                            totals.get(zero.currency().getCurrencyCode())[1].plus(n.total());
                }
            } while (notes.hasMore());
            List<Row> rows = new ArrayList<>();
            sums.forEach((k, s) -> rows.add(new Row(nz(k.country()), nz(k.region()), nz(k.taxType()), k.rate().stripTrailingZeros().toPlainString(),
                    nz(k.vatCategory()), k.currency(), s.taxable.toPlainMinorString(), s.tax.toPlainMinorString(), s.invoices.size(), s.notes.size())));
            List<Total> out = new ArrayList<>();
            totals.forEach((c, t) -> out.add(new Total(c, t[0].toPlainMinorString(), t[1].toPlainMinorString(), t[0].minus(t[1]).toPlainMinorString())));
            return new Report(from, to, rows, out);
        });
    }

    /** Numbered and not cancelled: what was actually invoiced. */
    private static boolean issued(Invoice i) {
        return i.number() != null && i.status() != InvoiceStatus.DRAFT && i.status() != InvoiceStatus.PROFORMA && i.status() != InvoiceStatus.VOID;
    }

    /** The invoice's rates: one per tax line, and one per (category, jurisdiction) of charges no tax line covers. */
    private static List<Bucket> buckets(Invoice i) {
        String currency = i.total().currency().getCurrencyCode();
        Money zero = Money.zero(currency);
        Map<Integer, Bucket> byGroup = new LinkedHashMap<>();
        Map<Key, Bucket> untaxed = new LinkedHashMap<>();
        List<InvoiceLine> lines = i.lines();
        for (int n = 0; n < lines.size(); n++) {
            InvoiceLine l = lines.get(n);
            if (l.isTax()) {
                Key key = new Key(currency, l.tax() == null ? null : l.tax().country(), l.tax() == null ? null : l.tax().region(), l.chargeCode(),
                        l.quantity().stripTrailingZeros(), l.tax() == null ? null : l.tax().vatCategory());
                Integer group = l.tax() == null ? null : l.tax().group();
                Bucket b = new Bucket(key, l.unitPrice(), l.amount(), new ArrayList<>());
                byGroup.put(group == null ? -n - 1 : group, b);
            }
        }
        for (int n = 0; n < lines.size(); n++) {
            InvoiceLine l = lines.get(n);
            if (!TaxedLines.isCharge(l)) {
                continue;
            }
            Bucket covering = l.tax() == null || l.tax().group() == null ? null : byGroup.get(l.tax().group());
            if (covering == null) {
                Key key = new Key(currency, l.tax() == null ? null : l.tax().country(), l.tax() == null ? null : l.tax().region(), null, BigDecimal.ZERO,
                        l.tax() == null ? null : l.tax().vatCategory());
                Bucket b = untaxed.computeIfAbsent(key, k -> new Bucket(k, zero, zero, new ArrayList<>()));
                b = new Bucket(key, b.taxable().plus(l.amount()), zero, b.lines());
                untaxed.put(key, b);
                covering = b;
            }
            covering.lines().add(n);
        }
        List<Bucket> all = new ArrayList<>(byGroup.values());
        all.addAll(untaxed.values());
        return all;
    }

    /** What a credit note takes back, per rate: {taxable, tax} — each credited invoice line's net and tax ({@link CreditedRates}) on its line's rate. */
    private static Map<Key, Money[]> takenBack(Invoice invoice, List<CreditNote> notesOfInvoice, CreditNote note) {
        List<Bucket> buckets = buckets(invoice);
        Map<Key, Money[]> out = new LinkedHashMap<>();
        for (List<InvoiceCredits.Part> parts : CreditedRates.split(invoice, notesOfInvoice, note)) {
            for (InvoiceCredits.Part p : parts) {
                int index = p.share().line() - 1;
                Bucket b = buckets.stream().filter(x -> x.lines().contains(index)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("Line " + (index + 1) + " of invoice " + invoice.id() + " is on no rate"));
                out.merge(b.key(), new Money[]{p.net(), p.tax()}, (x, y) -> new Money[]{x[0].plus(y[0]), x[1].plus(y[1])});
            }
        }
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

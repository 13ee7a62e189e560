package dev.accrue.app.document;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;

/**
 * Everything a rendered document shows, already decided: templates (HTML, PDF, email) and e-invoice writers
 * only lay it out, they compute nothing. {@code lines} are the charged items; {@code totals} are the rows
 * below them in order (subtotal, each tax, credits and prepayments, total, amount due), so a new kind of
 * adjustment (a discount, a credit) is one more row and no template changes. {@code periodEnd} is inclusive.
 * {@code reference} is what the document refers to (a credit note: the number of the invoice it corrects).
 */
public record Document(DocumentKind kind, String id, String number, String status, LocalDate issueDate, LocalDate dueDate, LocalDate periodStart,
                       LocalDate periodEnd, Party seller, Party customer, String currency, List<Line> lines, List<TaxLine> taxes,
                       List<Total> totals, Money amountDue, String paymentTerms, Payment payment, Branding branding, List<String> notes,
                       String reference, LocalDate referenceDate) {

    /** A document that refers to no earlier one by date ({@code referenceDate}: the issue date of the invoice a credit note corrects). */
    public Document(DocumentKind kind, String id, String number, String status, LocalDate issueDate, LocalDate dueDate, LocalDate periodStart,
                    LocalDate periodEnd, Party seller, Party customer, String currency, List<Line> lines, List<TaxLine> taxes,
                    List<Total> totals, Money amountDue, String paymentTerms, Payment payment, Branding branding, List<String> notes,
                    String reference) {
        this(kind, id, number, status, issueDate, dueDate, periodStart, periodEnd, seller, customer, currency, lines, taxes, totals, amountDue,
                paymentTerms, payment, branding, notes, reference, null);
    }

    public String title() {
        return kind.title();
    }

    /** Whether the document's prices include its taxes (a tax-inclusive tenant's invoice). */
    public boolean pricesIncludeTax() {
        return taxes.stream().anyMatch(TaxLine::included);
    }

    /** The row of {@code totals} of that kind (e.g. "consumption" on a statement), or null. */
    public Total total(String kind) {
        return totals.stream().filter(t -> t.kind().equals(kind)).findFirst().orElse(null);
    }

    /** YYYY-MM of the period's start (statements are monthly). */
    public String periodMonth() {
        return periodStart == null ? "" : java.time.YearMonth.from(periodStart).toString();
    }

    /** A seller or a customer as printed: name, address lines, identifiers ({@code id}: the customer's account id; null for the seller). */
    public record Party(String id, String name, List<String> address, String street, String city, String postalCode, String country, String vatId,
                        String taxId, String registrationNumber, String email, String phone, String website) {
    }

    /**
     * One charged item. {@code unitPrice} keeps its full precision; {@code amount} is the rounded line amount.
     * {@code sectionHeading}: on a consolidated invoice, the child's name on the first line of its section (the heading
     * its lines are printed under); null on every other line.
     */
    public record Line(String kind, String code, String description, LocalDate periodStart, LocalDate periodEnd, BigDecimal quantity, Money unitPrice,
                       Money amount, Integer taxGroup, String vatCategory, String sectionHeading) {
        /** An item outside any section (every document but a consolidated invoice). */
        public Line(String kind, String code, String description, LocalDate periodStart, LocalDate periodEnd, BigDecimal quantity, Money unitPrice,
                    Money amount, Integer taxGroup, String vatCategory) {
            this(kind, code, description, periodStart, periodEnd, quantity, unitPrice, amount, taxGroup, vatCategory, null);
        }

        /** An item no tax decision was recorded for (receipts, statements, documents of a tenant that collects no tax). */
        public Line(String kind, String code, String description, LocalDate periodStart, LocalDate periodEnd, BigDecimal quantity, Money unitPrice,
                    Money amount) {
            this(kind, code, description, periodStart, periodEnd, quantity, unitPrice, amount, null, null);
        }

        public String quantityText() {
            BigDecimal q = quantity.scale() > 4 ? quantity.setScale(4, RoundingMode.HALF_UP) : quantity;
            return q.stripTrailingZeros().toPlainString();
        }

        public String unitPriceText() {
            BigDecimal p = unitPrice.amount().stripTrailingZeros();
            if (p.scale() < unitPrice.minorUnitDigits()) {
                p = p.setScale(unitPrice.minorUnitDigits(), RoundingMode.UNNECESSARY);
            }
            return p.toPlainString();
        }

        public String amountText() {
            return amount.toPlainMinorString();
        }

        public String periodText() {
            return periodStart == null ? "" : periodStart.equals(periodEnd) ? periodStart.toString() : periodStart + " – " + periodEnd;
        }
    }

    /**
     * A tax as charged: its type (VAT, GST, a regulatory fee), rate (a fraction; null when not a rate), base (net) and
     * amount. {@code group} is the number the covered {@link Line}s carry as their {@code taxGroup}; {@code vatCategory}
     * the EN 16931 category (S, Z, E, AE, K, G, O); {@code note} the legal mention of a 0 % line; {@code included}: the
     * lines' tax-inclusive prices already hold this tax.
     */
    public record TaxLine(String type, BigDecimal rate, Money taxable, Money tax, Integer group, String vatCategory, String note, boolean included) {
        public TaxLine(String type, BigDecimal rate, Money taxable, Money tax) {
            this(type, rate, taxable, tax, null, null, null, false);
        }

        /** Net plus tax: what the covered lines come to with their tax. */
        public String grossText() {
            return taxable == null ? "" : taxable.plus(tax).toPlainMinorString();
        }

        public String rateText() {
            return rate == null ? "" : rate.movePointRight(2).stripTrailingZeros().toPlainString() + " %";
        }

        public String taxableText() {
            return taxable == null ? "" : taxable.toPlainMinorString();
        }

        public String taxText() {
            return tax.toPlainMinorString();
        }
    }

    /** A row under the lines; {@code grand} rows (total, amount due) are emphasised. */
    public record Total(String kind, String label, Money amount, boolean grand) {
        public String amountText() {
            return amount.toPlainMinorString();
        }
    }

    public record Payment(LocalDate paidOn, String reference) {
    }

    /** How the seller's documents look and how to pay them. */
    public record Branding(String color, String logoDataUri, String footer, String bankAccountHolder, String bankName, String iban, String bic) {
        public boolean hasBank() {
            return iban != null || bankName != null;
        }
    }
}

package dev.accrue.server.document;

import dev.accrue.adapters.einvoice.MustangEInvoices;
import dev.accrue.app.document.Document;
import dev.accrue.app.document.DocumentKind;
import dev.accrue.core.money.Money;
import dev.accrue.core.tax.Jurisdiction;
import dev.accrue.core.tax.PriceMode;
import dev.accrue.core.tax.TaxCalculator;
import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.tax.TaxContext;
import dev.accrue.core.tax.TaxLine;
import dev.accrue.core.tax.TaxRate;
import dev.accrue.core.tax.TaxRates;
import dev.accrue.core.tax.TaxResult;
import dev.accrue.core.tax.TaxStatus;
import dev.accrue.core.tax.Taxable;
import dev.accrue.core.time.RoundingPolicy;
import org.junit.jupiter.api.Test;
import org.mustangproject.validator.ZUGFeRDValidator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every tax-inclusive price is an e-invoice. Accrue takes a rate's tax out of the gross once (tax = round(gross × rate /
 * (1 + rate)), net = gross − tax); for about one gross amount in six no net n has n + round(n × rate) = gross, so the
 * e-invoice states the document's own tax, which EN 16931 accepts within its BR-CO-17 tolerance (less than one unit off
 * round(taxable × rate)). Checked for every gross amount 0.01–999.99 at 5, 7, 19, 20, 21 and 25 % against the rule, on a
 * sample through the CII writer (the numbers it states), and on a smaller sample through Mustang's validator (schema
 * and EN 16931 Schematron), invoices and credit notes, CII and UBL.
 */
class TaxInclusiveEInvoicesTest {
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final List<String> RATES = List.of("0.05", "0.07", "0.19", "0.20", "0.21", "0.25");
    private static final BigDecimal ONE_UNIT = BigDecimal.ONE;

    private static TaxLine inclusiveTax(BigDecimal rate, List<Money> grossLines) {
        Jurisdiction de = Jurisdiction.country("DE");
        var ctx = new TaxContext("DE", PriceMode.TAX_INCLUSIVE, new TaxRates(List.of(new TaxRate(de, TaxCategory.STANDARD, "VAT", rate))), de,
                TaxStatus.TAXABLE, null);
        TaxResult r = TaxCalculator.calculate(EUR, grossLines.stream().map(g -> new Taxable(TaxCategory.STANDARD, g)).toList(), ctx, RoundingPolicy.DEFAULT);
        return r.lines().getFirst();
    }

    @Test
    void everyGrossAmountAtEveryRateStatesATaxEn16931Accepts() {
        int notExpressibleAsNetTimesRate = 0;
        int checked = 0;
        for (String r : RATES) {
            BigDecimal rate = new BigDecimal(r);
            for (long cents = 1; cents <= 99_999; cents++) {
                Money gross = new Money(BigDecimal.valueOf(cents, 2), EUR);
                TaxLine t = inclusiveTax(rate, List.of(gross));
                BigDecimal recomputed = t.taxable().amount().multiply(rate).setScale(2, RoundingMode.HALF_UP);
                // the customer pays exactly the gross: taxable + tax
                assertThat(t.taxable().plus(t.tax())).isEqualTo(gross);
                // BR-CO-17 / BR-S-08 as the CEN artefacts implement them: strictly less than one unit off (UBL), at most one (CII); in fact at most a cent
                BigDecimal off = t.tax().amount().subtract(recomputed).abs();
                assertThat(off).as("%s at %s", gross, r).isLessThan(ONE_UNIT).isLessThanOrEqualTo(new BigDecimal("0.01"));
                if (off.signum() != 0) {
                    notExpressibleAsNetTimesRate++;
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6 * 99_999);
        // the amounts an exact net × rate could not state, which used to be refused as not_an_invoice: roughly one in six
        assertThat(notExpressibleAsNetTimesRate).isBetween(checked / 12, checked / 3);
    }

    @Test
    void theCiiStatesTheDocumentsTaxAndPayableGrossOnASample() {
        MustangEInvoices writer = new MustangEInvoices();
        int written = 0;
        for (String r : RATES) {
            BigDecimal rate = new BigDecimal(r);
            for (long cents = 1; cents <= 99_999; cents += 211) {
                // two lines per document, so the net of the rate is also spread over lines
                Money a = new Money(BigDecimal.valueOf(cents, 2), EUR);
                Money b = new Money(BigDecimal.valueOf(1 + cents % 997, 2), EUR);
                Document d = document(DocumentKind.INVOICE, rate, List.of(a, b));
                String cii = writer.cii(d).replaceAll(">\\s+<", "><");
                Money gross = a.plus(b);
                Document.TaxLine t = d.taxes().getFirst();
                assertThat(amounts(cii, "ram:CalculatedAmount")).as("%s at %s", gross, r).usingElementComparator(BigDecimal::compareTo).containsExactly(t.tax().amount());
                assertThat(amounts(cii, "ram:BasisAmount")).usingElementComparator(BigDecimal::compareTo).containsExactly(t.taxable().amount());
                assertThat(amounts(cii, "ram:GrandTotalAmount")).usingElementComparator(BigDecimal::compareTo).containsExactly(gross.amount());
                assertThat(amounts(cii, "ram:DuePayableAmount")).usingElementComparator(BigDecimal::compareTo).containsExactly(gross.amount());
                BigDecimal lines = amounts(cii, "ram:LineTotalAmount").stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                // the line nets (BT-131) and the header's line total add up to the rate's taxable amount, each counted twice
                assertThat(lines).isEqualByComparingTo(t.taxable().amount().multiply(BigDecimal.TWO));
                written++;
            }
        }
        assertThat(written).isGreaterThan(2_500);
    }

    @Test
    void aSampleOfInvoicesAndCreditNotesPassesMustangsValidatorInCiiAndUbl() {
        MustangEInvoices writer = new MustangEInvoices();
        List<long[]> sample = new ArrayList<>();
        // 10.05 at 19 % (1.60 inside, 8.45 × 19 % = 1.61), the cases the old writer refused, and amounts over the range
        sample.add(new long[]{1005, 19});
        sample.add(new long[]{1, 25});
        sample.add(new long[]{99_999, 21});
        for (String r : RATES) {
            int pct = new BigDecimal(r).movePointRight(2).intValueExact();
            sample.add(new long[]{731 + pct * 1_003L, pct});
        }
        int refusedBefore = 0;
        for (long[] s : sample) {
            BigDecimal rate = BigDecimal.valueOf(s[1], 2);
            Money gross = new Money(BigDecimal.valueOf(s[0], 2), EUR);
            TaxLine t = inclusiveTax(rate, List.of(gross));
            if (t.tax().amount().compareTo(t.taxable().amount().multiply(rate).setScale(2, RoundingMode.HALF_UP)) != 0) {
                refusedBefore++;
            }
            // (the validator takes seconds per document on a busy machine: credit notes for the first three amounts)
            for (DocumentKind kind : sample.indexOf(s) < 3 ? List.of(DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE) : List.of(DocumentKind.INVOICE)) {
                Document d = document(kind, rate, List.of(gross));
                assertValid(writer.cii(d), "cii.xml", gross + " at " + rate + " " + kind);
                assertValid(writer.ubl(d), "ubl.xml", gross + " at " + rate + " " + kind);
            }
        }
        // the sample holds amounts whose tax no net × rate states (among them 10.05 at 19 %)
        assertThat(refusedBefore).isGreaterThanOrEqualTo(2);
    }

    private static void assertValid(String xml, String name, String what) {
        ZUGFeRDValidator validator = new ZUGFeRDValidator();
        String report = validator.validate(xml.getBytes(StandardCharsets.UTF_8), name);
        assertThat(validator.wasCompletelyValid()).as(what + ": " + report).isTrue();
    }

    private static List<BigDecimal> amounts(String xml, String element) {
        Matcher m = Pattern.compile("<" + element + "(?: [^>]*)?>([-0-9.]+)</" + element + ">").matcher(xml);
        List<BigDecimal> out = new ArrayList<>();
        while (m.find()) {
            out.add(new BigDecimal(m.group(1)));
        }
        return out;
    }

    /** A tax-inclusive document of one rate with these gross lines, taxed by billing's calculator. */
    private static Document document(DocumentKind kind, BigDecimal rate, List<Money> grossLines) {
        TaxLine t = inclusiveTax(rate, grossLines);
        List<Document.Line> lines = new ArrayList<>();
        Money total = Money.zero(EUR);
        for (Money g : grossLines) {
            lines.add(new Document.Line("recurring", "base", "Streaming", LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 30), BigDecimal.ONE, g, g, 1, "S"));
            total = total.plus(g);
        }
        var tax = new Document.TaxLine("VAT", rate, t.taxable(), t.tax(), 1, "S", null, true);
        var rows = List.of(new Document.Total("total", "Total", total, true), new Document.Total("net", "Net amount", t.taxable(), false),
                new Document.Total("tax_included", "VAT included", t.tax(), false));
        var seller = new Document.Party(null, "Accrue Telecom GmbH", List.of("Friedrichstraße 123", "10117 Berlin"), "Friedrichstraße 123", "Berlin",
                "10117", "DE", "DE123456789", null, null, "billing@accrue-telecom.example", null, null);
        var buyer = new Document.Party("cus_1", "Paul Durand", List.of("Hauptstraße 5", "80331 München"), "Hauptstraße 5", "München", "80331", "DE",
                null, null, null, "paul@example.com", null, null);
        var branding = new Document.Branding("#1F3A5F", null, null, "Accrue Telecom GmbH", "Berliner Bank", "DE89370400440532013000", "COBADEFFXXX");
        boolean note = kind == DocumentKind.CREDIT_NOTE;
        return new Document(kind, note ? "cn_1" : "inv_1", note ? "CN-000001" : "INV-000001", note ? "issued" : "finalized", LocalDate.of(2026, 6, 1),
                note ? null : LocalDate.of(2026, 6, 15), LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 30), seller, buyer, "EUR", lines, List.of(tax),
                rows, note ? Money.zero(EUR) : total, "Net 14 days", null, branding, List.of(), note ? "INV-000001" : null,
                note ? LocalDate.of(2026, 6, 1) : null);
    }
}

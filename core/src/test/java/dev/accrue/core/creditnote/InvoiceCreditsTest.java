package dev.accrue.core.creditnote;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.tax.EuVat;
import dev.accrue.core.tax.Jurisdiction;
import dev.accrue.core.tax.PriceMode;
import dev.accrue.core.tax.TaxCalculator;
import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.tax.TaxContext;
import dev.accrue.core.tax.TaxStatus;
import dev.accrue.core.tax.Taxable;
import dev.accrue.core.tax.TaxedLines;
import dev.accrue.core.time.RoundingPolicy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvoiceCreditsTest {
    private static final Currency EUR = Currency.getInstance("EUR");

    private static InvoiceLine line(String kind, String amount) {
        Money m = Money.of(amount, "EUR");
        return new InvoiceLine(kind, "c", "d", null, BigDecimal.ONE, m, m);
    }

    /** The lines taxed as billing taxes them, for a customer in {@code country} of a French seller. */
    static List<InvoiceLine> taxed(PriceMode mode, String country, TaxStatus status, List<InvoiceLine> lines, List<TaxCategory> categories) {
        List<Taxable> charges = new ArrayList<>();
        int c = 0;
        for (InvoiceLine l : lines) {
            if (TaxedLines.isCharge(l)) {
                charges.add(new Taxable(categories.get(c++), l.amount()));
            }
        }
        var ctx = new TaxContext("FR", mode, EuVat.defaultRates(), Jurisdiction.country(country), status, status == TaxStatus.BUSINESS ? "DE123456789" : null);
        return TaxedLines.of(lines, TaxCalculator.calculate(EUR, charges, ctx, RoundingPolicy.DEFAULT), null);
    }

    private static Money eur(String s) {
        return Money.of(s, "EUR");
    }

    @Test
    void aWholeCreditGivesBackWhatWasChargedWithTax() {
        // 100.00 at 20 %: the customer paid 120.00 and gets 120.00 back, 100.00 net and 20.00 VAT
        var lines = taxed(PriceMode.TAX_EXCLUSIVE, "FR", TaxStatus.TAXABLE, List.of(line(InvoiceLine.RECURRING, "100.00")), List.of(TaxCategory.STANDARD));
        InvoiceCredits credits = InvoiceCredits.of(lines, Money.zero(EUR));
        assertThat(credits.remainingTotal()).isEqualTo(eur("120.00"));
        assertThat(credits.remainingOnLine(1)).isEqualTo(eur("120.00"));
        assertThat(credits.remainingOnLine(2)).isEqualTo(Money.zero(EUR)); // the tax line itself sold nothing
        assertThat(InvoiceCredits.creditable(lines.get(1))).isFalse();
        var parts = credits.credit(null, eur("120.00"));
        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.net()).isEqualTo(eur("100.00"));
            assertThat(p.tax()).isEqualTo(eur("20.00"));
        });
        assertThat(credits.remainingTotal()).isEqualTo(Money.zero(EUR));
    }

    @Test
    void taxInclusivePricesGiveBackThePriceWithTheTaxInside() {
        // 120.00 charged with 20 % inside: 100.00 net, 20.00 VAT
        var lines = taxed(PriceMode.TAX_INCLUSIVE, "FR", TaxStatus.TAXABLE, List.of(line(InvoiceLine.RECURRING, "120.00")), List.of(TaxCategory.STANDARD));
        InvoiceCredits credits = InvoiceCredits.of(lines, Money.zero(EUR));
        assertThat(credits.remainingTotal()).isEqualTo(eur("120.00"));
        var part = credits.credit(1, eur("120.00")).getFirst();
        assertThat(part.net()).isEqualTo(eur("100.00"));
        assertThat(part.tax()).isEqualTo(eur("20.00"));
    }

    @Test
    void aPartThenTheRestTakeExactlyTheLineNetAndTax() {
        // three 10.03 lines at 20 %: 30.09 net, 6.02 VAT (rounded once), shared 2.01 / 2.01 / 2.00 by largest remainder
        var lines = taxed(PriceMode.TAX_EXCLUSIVE, "FR", TaxStatus.TAXABLE,
                List.of(line(InvoiceLine.USAGE, "10.03"), line(InvoiceLine.USAGE, "10.03"), line(InvoiceLine.USAGE, "10.03")),
                List.of(TaxCategory.STANDARD, TaxCategory.STANDARD, TaxCategory.STANDARD));
        InvoiceCredits credits = InvoiceCredits.of(lines, Money.zero(EUR));
        assertThat(credits.remainingTotal()).isEqualTo(eur("36.11"));
        assertThat(credits.remainingOnLine(1)).isEqualTo(eur("12.04"));
        assertThat(credits.remainingOnLine(3)).isEqualTo(eur("12.03"));
        var part = credits.credit(1, eur("5.00")).getFirst();
        // 5.00 × 2.01 / 12.04 = 0.8347 of tax
        assertThat(part.tax()).isEqualTo(eur("0.83"));
        assertThat(part.net()).isEqualTo(eur("4.17"));
        var rest = credits.credit(1, credits.remainingOnLine(1)).getFirst();
        assertThat(rest.net()).isEqualTo(eur("5.86"));
        assertThat(rest.tax()).isEqualTo(eur("1.18"));
        assertThat(credits.remainingTotal()).isEqualTo(eur("24.07"));
    }

    @Test
    void aDiscountOrCorrectionLowersEveryLineOfItsRateAndPaymentsAreNeverCredited() {
        List<InvoiceLine> lines = List.of(line(InvoiceLine.RECURRING, "30.00"), line(InvoiceLine.ADJUSTMENT, "-5.00"),
                line(InvoiceLine.CREDIT, "-10.00"), line(InvoiceLine.USAGE, "4.00"));
        InvoiceCredits credits = InvoiceCredits.of(lines, Money.zero(EUR));
        // untaxed: 29.00 sold, shared over the positive lines: 29 × 30/34 = 25.588 and 29 × 4/34 = 3.412, the cent left to the larger remainder
        assertThat(credits.remainingTotal()).isEqualTo(eur("29.00"));
        assertThat(credits.remainingOnLine(1)).isEqualTo(eur("25.59"));
        assertThat(credits.remainingOnLine(4)).isEqualTo(eur("3.41"));
        assertThat(credits.remainingOnLine(2)).isEqualTo(Money.zero(EUR));
        assertThat(credits.remainingOnLine(3)).isEqualTo(Money.zero(EUR));
        assertThat(InvoiceCredits.creditable(lines.get(2))).isFalse();
        assertThat(InvoiceCredits.creditable(lines.get(1))).isFalse();
        assertThatThrownBy(() -> credits.credit(1, eur("25.60"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefusalNamesWhatIsLeft() {
        assertThatThrownBy(() -> CreditLimits.requireWithin("amount", eur("9.01"), eur("9.00"), "invoice INV-000001"))
                .isInstanceOfSatisfying(AccrueException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CREDIT_EXCEEDS_REMAINING);
                    assertThat(e.details()).containsEntry("remaining", "9.00");
                });
    }
}

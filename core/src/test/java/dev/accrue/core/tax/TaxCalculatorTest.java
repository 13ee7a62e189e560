package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaxCalculatorTest {
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final TaxRates EU = EuVat.defaultRates();

    private static Taxable std(String amount) {
        return new Taxable(TaxCategory.STANDARD, Money.of(amount, "EUR"));
    }

    private static TaxContext ctx(String seller, PriceMode mode, String country, TaxStatus status, String taxId) {
        return new TaxContext(seller, mode, EU, Jurisdiction.country(country), status, taxId);
    }

    private static TaxResult calc(TaxContext ctx, Taxable... charges) {
        return TaxCalculator.calculate(EUR, List.of(charges), ctx, RoundingPolicy.DEFAULT);
    }

    @Test
    void frenchConsumerPaysTwentyPercentOnEverythingInOneLine() {
        TaxResult r = calc(ctx("FR", PriceMode.TAX_EXCLUSIVE, "FR", TaxStatus.TAXABLE, null),
                std("10.03"), std("10.03"), std("10.03"));
        assertThat(r.lines()).singleElement().satisfies(l -> {
            assertThat(l.type()).isEqualTo("VAT");
            assertThat(l.rate()).isEqualByComparingTo("0.20");
            assertThat(l.taxable()).isEqualTo(Money.of("30.09", "EUR"));
            assertThat(l.tax()).isEqualTo(Money.of("6.02", "EUR")); // 6.018 rounded once, not 2.01 × 3
            assertThat(l.description()).isEqualTo("VAT 20 %");
        });
        assertThat(r.subtotal()).isEqualTo(Money.of("30.09", "EUR"));
        assertThat(r.total()).isEqualTo(Money.of("36.11", "EUR"));
        assertThat(r.mentions()).isEmpty();
    }

    @Test
    void germanBusinessWithValidVatIdOfAFrenchSellerIsReverseCharged() {
        TaxResult r = calc(ctx("FR", PriceMode.TAX_EXCLUSIVE, "DE", TaxStatus.BUSINESS, "DE 123456789"), std("100.00"),
                new Taxable(TaxCategory.REDUCED, Money.of("10.00", "EUR")));
        assertThat(r.lines()).singleElement().satisfies(l -> {
            assertThat(l.rate()).isEqualByComparingTo("0");
            assertThat(l.taxable()).isEqualTo(Money.of("110.00", "EUR"));
            assertThat(l.tax().isZero()).isTrue();
            assertThat(l.note()).isEqualTo(EuVat.REVERSE_CHARGE_MENTION);
        });
        assertThat(r.mentions()).containsExactly(
                "Reverse charge — VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)");
        assertThat(r.total()).isEqualTo(Money.of("110.00", "EUR"));
    }

    @Test
    void reverseChargeNeedsABusinessAnotherMemberStateAndAWellFormedIdOfIt() {
        // same country: domestic VAT
        assertThat(calc(ctx("DE", PriceMode.TAX_EXCLUSIVE, "DE", TaxStatus.BUSINESS, "DE123456789"), std("100.00")).tax())
                .isEqualTo(Money.of("19.00", "EUR"));
        // a consumer in Germany: German VAT (the customer's place)
        assertThat(calc(ctx("FR", PriceMode.TAX_EXCLUSIVE, "DE", TaxStatus.TAXABLE, "DE123456789"), std("100.00")).tax())
                .isEqualTo(Money.of("19.00", "EUR"));
        // a business without a VAT id, or with one of another state, or a malformed one: taxed
        for (String id : new String[]{null, "FR12345678901", "DE12345"}) {
            assertThat(calc(ctx("FR", PriceMode.TAX_EXCLUSIVE, "DE", TaxStatus.BUSINESS, id), std("100.00")).tax())
                    .as(String.valueOf(id)).isEqualTo(Money.of("19.00", "EUR"));
        }
        // a seller outside the EU never reverse-charges EU VAT
        assertThat(calc(ctx("US", PriceMode.TAX_EXCLUSIVE, "DE", TaxStatus.BUSINESS, "DE123456789"), std("100.00")).tax())
                .isEqualTo(Money.of("19.00", "EUR"));
    }

    @Test
    void exemptCustomerGetsZeroLinesWithTheMention() {
        TaxResult r = calc(ctx("FR", PriceMode.TAX_EXCLUSIVE, "FR", TaxStatus.EXEMPT, null), std("50.00"));
        assertThat(r.lines()).singleElement().satisfies(l -> {
            assertThat(l.tax().isZero()).isTrue();
            assertThat(l.note()).isEqualTo("Exempt from tax");
        });
        assertThat(r.total()).isEqualTo(Money.of("50.00", "EUR"));
    }

    @Test
    void mixedCategoriesGetOneLinePerRate() {
        TaxResult r = calc(ctx("FR", PriceMode.TAX_EXCLUSIVE, "FR", TaxStatus.TAXABLE, null),
                std("10.00"), new Taxable(TaxCategory.REDUCED, Money.of("10.00", "EUR")),
                new Taxable(TaxCategory.EXEMPT, Money.of("5.00", "EUR")),
                new Taxable(TaxCategory.TELECOM_REGULATORY, Money.of("1.00", "EUR")));
        assertThat(r.lines()).extracting(l -> l.rate().toPlainString() + ":" + l.taxable().toPlainMinorString() + ":" + l.tax().toPlainMinorString())
                // telecom_regulatory has no row in France: it falls back to the standard rate and joins its line
                .containsExactly("0.2:11.00:2.20", "0.1:10.00:1.00", "0:5.00:0.00");
        assertThat(r.tax()).isEqualTo(Money.of("3.20", "EUR"));
        assertThat(r.total()).isEqualTo(Money.of("29.20", "EUR"));
    }

    @Test
    void taxInclusivePricesDecomposeExactly() {
        TaxResult r = calc(ctx("FR", PriceMode.TAX_INCLUSIVE, "FR", TaxStatus.TAXABLE, null), std("29.99"));
        // 29.99 / 1.2 = 24.991666… net; tax 4.998333… → 5.00, net 24.99
        assertThat(r.lines()).singleElement().satisfies(l -> {
            assertThat(l.tax()).isEqualTo(Money.of("5.00", "EUR"));
            assertThat(l.taxable()).isEqualTo(Money.of("24.99", "EUR"));
            assertThat(l.description()).isEqualTo("VAT 20 % included");
        });
        assertThat(r.subtotal()).isEqualTo(Money.of("24.99", "EUR"));
        assertThat(r.total()).isEqualTo(Money.of("29.99", "EUR"));
    }

    @Test
    void regionRateWinsOverTheCountryAndNoRowMeansNoTax() {
        var rates = new TaxRates(List.of(
                new TaxRate(Jurisdiction.country("CA"), TaxCategory.STANDARD, "GST", new BigDecimal("0.05")),
                new TaxRate(new Jurisdiction("CA", "ON"), TaxCategory.STANDARD, "HST", new BigDecimal("0.13"))));
        var onCtx = new TaxContext("CA", PriceMode.TAX_EXCLUSIVE, rates, new Jurisdiction("CA", "on"), TaxStatus.TAXABLE, null);
        var abCtx = new TaxContext("CA", PriceMode.TAX_EXCLUSIVE, rates, new Jurisdiction("CA", "AB"), TaxStatus.TAXABLE, null);
        var usCtx = new TaxContext("CA", PriceMode.TAX_EXCLUSIVE, rates, Jurisdiction.country("US"), TaxStatus.TAXABLE, null);
        assertThat(calc(onCtx, std("100.00")).lines()).singleElement().extracting(TaxLine::description).isEqualTo("HST 13 %");
        assertThat(calc(abCtx, std("100.00")).lines()).singleElement().extracting(TaxLine::description).isEqualTo("GST 5 %");
        TaxResult us = calc(usCtx, std("100.00"));
        assertThat(us.lines()).isEmpty();
        assertThat(us.total()).isEqualTo(Money.of("100.00", "EUR"));
    }

    @Test
    void anotherCurrencyIsRefused() {
        assertThatThrownBy(() -> calc(ctx("FR", PriceMode.TAX_EXCLUSIVE, "FR", TaxStatus.TAXABLE, null),
                new Taxable(TaxCategory.STANDARD, Money.of("1.00", "USD")))).isInstanceOf(AccrueException.class);
    }

    @Test
    void badRatesAreRefused() {
        assertThatThrownBy(() -> new TaxRate(Jurisdiction.country("FR"), TaxCategory.STANDARD, "VAT", new BigDecimal("1.2")))
                .isInstanceOf(AccrueException.class);
        var fr = new TaxRate(Jurisdiction.country("FR"), TaxCategory.STANDARD, "VAT", new BigDecimal("0.2"));
        assertThatThrownBy(() -> new TaxRates(List.of(fr, fr))).isInstanceOf(AccrueException.class);
        assertThat(EU.with(List.of(new TaxRate(Jurisdiction.country("FR"), TaxCategory.STANDARD, "TVA", new BigDecimal("0.21"))))
                .resolve(Jurisdiction.country("FR"), TaxCategory.STANDARD).orElseThrow().rate()).isEqualByComparingTo("0.21");
    }
}

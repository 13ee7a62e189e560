package dev.accrue.app.creditwallet;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.LineTax;
import dev.accrue.core.money.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a restricted credit wallet may pay on an invoice: its charges with the tax on them, net of their discounts, never another charge. */
class EligibleAmountsTest {
    private static final Currency USD = Currency.getInstance("USD");

    private static InvoiceLine line(String kind, String code, String amount, Integer group) {
        Money m = Money.of(amount, "USD");
        InvoiceLine l = new InvoiceLine(kind, code, kind, null, BigDecimal.ONE, m, m);
        return group == null ? l : l.withTax(new LineTax(group, "S", "US", null));
    }

    @Test
    void aChargeCountsWithTheTaxOfItsTaxLineAndItsDiscount() {
        List<InvoiceLine> lines = List.of(
                line(InvoiceLine.RECURRING, "base", "30.00", 1),
                line(InvoiceLine.USAGE, "api_calls", "12.35", 1),
                line(InvoiceLine.DISCOUNT, "api_calls", "-2.00", 1),
                line(InvoiceLine.USAGE, "sms", "4.00", 2),
                new InvoiceLine(InvoiceLine.TAX, null, "Sales tax 10%", null, new BigDecimal("0.10"), Money.of("40.35", "USD"), Money.of("4.04", "USD")),
                // tax already inside the sms price adds nothing
                new InvoiceLine(InvoiceLine.TAX_INCLUDED, null, "VAT 20% included", null, new BigDecimal("0.20"), Money.of("3.33", "USD"),
                        Money.of("0.67", "USD")),
                line(InvoiceLine.CREDIT, null, "-5.00", null));
        var eligible = InvoiceCreditWallets.EligibleAmounts.of(lines, USD);
        // (12.35 - 2.00) × 1.10 = 11.385 → 11.38 (half-even, once per charge)
        assertThat(eligible.remaining(List.of("api_calls"))).isEqualTo(Money.of("11.38", "USD"));
        assertThat(eligible.remaining(List.of("sms"))).isEqualTo(Money.of("4.00", "USD"));
        assertThat(eligible.remaining(List.of("minutes"))).isEqualTo(Money.zero(USD));
        eligible.take(List.of("api_calls", "sms"), Money.of("12.00", "USD"));
        assertThat(eligible.remaining(List.of("api_calls", "sms"))).isEqualTo(Money.of("3.38", "USD"));
        assertThat(eligible.remaining(List.of("base"))).isEqualTo(Money.of("33.00", "USD"));
    }
}

package dev.accrue.core.creditnote;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CreditLimitsTest {
    private static InvoiceLine line(String kind, String amount) {
        Money m = Money.of(amount, "USD");
        return new InvoiceLine(kind, "c", "d", null, BigDecimal.ONE, m, m);
    }

    private final List<InvoiceLine> lines = List.of(line(InvoiceLine.RECURRING, "30.00"), line(InvoiceLine.ADJUSTMENT, "-5.00"),
            line(InvoiceLine.CREDIT, "-10.00"), line(InvoiceLine.USAGE, "4.00"));

    @Test
    void aLineGetsBackAtMostItsAmountLessEarlierCredits() {
        assertThat(CreditLimits.remainingOnLine(lines, 1, Map.of())).isEqualTo(Money.of("30.00", "USD"));
        assertThat(CreditLimits.remainingOnLine(lines, 1, Map.of(1, Money.of("12.50", "USD")))).isEqualTo(Money.of("17.50", "USD"));
        assertThat(CreditLimits.remainingOnLine(lines, 4, Map.of(4, Money.of("4.00", "USD")))).isEqualTo(Money.zero("USD"));
    }

    @Test
    void creditAndNegativeLinesSoldNothing() {
        assertThat(CreditLimits.remainingOnLine(lines, 2, Map.of())).isEqualTo(Money.zero("USD"));
        assertThat(CreditLimits.remainingOnLine(lines, 3, Map.of())).isEqualTo(Money.zero("USD"));
        assertThat(CreditLimits.creditable(lines.get(2))).isFalse();
    }

    @Test
    void theInvoiceAsAWholeGetsBackAtMostItsSubtotal() {
        Money subtotal = Money.of("29.00", "USD"); // 30 - 5 + 4: the credit line is payment, not part of it
        assertThat(CreditLimits.remainingTotal(subtotal, Money.of("20.00", "USD"))).isEqualTo(Money.of("9.00", "USD"));
        assertThat(CreditLimits.remainingTotal(Money.of("-3.00", "USD"), Money.zero("USD"))).isEqualTo(Money.zero("USD"));
        assertThatThrownBy(() -> CreditLimits.requireWithin("amount", Money.of("9.01", "USD"), Money.of("9.00", "USD"), "invoice INV-000001"))
                .isInstanceOfSatisfying(AccrueException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CREDIT_EXCEEDS_REMAINING);
                    assertThat(e.details()).containsEntry("remaining", "9.00");
                });
    }
}

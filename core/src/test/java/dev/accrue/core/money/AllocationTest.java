package dev.accrue.core.money;

import dev.accrue.core.error.AccrueException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocationTest {

    private static List<BigDecimal> w(String... weights) {
        return java.util.Arrays.stream(weights).map(BigDecimal::new).toList();
    }

    @Test
    void tiesGoToTheEarlierIndex() {
        assertThat(Allocation.largestRemainder(Money.of("0.02", "USD"), w("1", "1", "1")))
                .containsExactly(Money.of("0.01", "USD"), Money.of("0.01", "USD"), Money.of("0", "USD"));
        assertThat(Allocation.largestRemainder(Money.of("100.00", "USD"), w("1", "1", "1")))
                .containsExactly(Money.of("33.34", "USD"), Money.of("33.33", "USD"), Money.of("33.33", "USD"));
    }

    @Test
    void largestRemainderWinsOverIndex() {
        // Exact shares 3.333.., 6.666..: the second has the larger remainder and gets the leftover cent.
        assertThat(Allocation.largestRemainder(Money.of("0.10", "EUR"), w("1", "2")))
                .containsExactly(Money.of("0.03", "EUR"), Money.of("0.07", "EUR"));
    }

    @Test
    void respectsCurrencyMinorUnitsAndNegativeTotals() {
        assertThat(Allocation.largestRemainder(Money.of("100", "JPY"), w("1", "1", "1")))
                .containsExactly(Money.of("34", "JPY"), Money.of("33", "JPY"), Money.of("33", "JPY"));
        assertThat(Allocation.largestRemainder(Money.of("-1.00", "USD"), w("1", "2")))
                .containsExactly(Money.of("-0.33", "USD"), Money.of("-0.67", "USD"));
    }

    @Test
    void refusesUnallocatableInput() {
        Money ten = Money.of("10.00", "USD");
        assertThatThrownBy(() -> Allocation.largestRemainder(ten, List.of())).isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> Allocation.largestRemainder(ten, w("0", "0"))).isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> Allocation.largestRemainder(ten, w("1", "-1"))).isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> Allocation.largestRemainder(Money.of("10.005", "USD"), w("1")))
                .isInstanceOf(AccrueException.class);
    }

    @Property
    void partsSumToTheTotalAndStayWithinOneUnit(@ForAll("cents") long cents, @ForAll("weights") List<BigDecimal> weights) {
        Money total = Money.of(BigDecimal.valueOf(cents, 2), "USD");
        List<Money> parts = Allocation.largestRemainder(total, weights);
        assertThat(parts).hasSize(weights.size());
        assertThat(parts.stream().map(Money::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(total.amount());
        BigDecimal sum = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        for (int i = 0; i < parts.size(); i++) {
            BigDecimal exact = total.amount().multiply(weights.get(i)).divide(sum, java.math.MathContext.DECIMAL128);
            assertThat(parts.get(i).amount().subtract(exact).abs()).isLessThan(new BigDecimal("0.01"));
            assertThat(parts.get(i).amount().scale()).isLessThanOrEqualTo(2);
        }
    }

    @Provide
    Arbitrary<Long> cents() {
        return Arbitraries.longs().between(-10_000_000L, 10_000_000L);
    }

    @Provide
    Arbitrary<List<BigDecimal>> weights() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1000")).ofScale(4)
                .list().ofMinSize(1).ofMaxSize(10)
                .filter(ws -> ws.stream().anyMatch(x -> x.signum() > 0));
    }
}

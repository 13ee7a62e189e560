package dev.accrue.core.budget;

import dev.accrue.core.money.Money;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A charge shared out over a dimension's values adds up to the charge exactly, whatever the amounts and weights. */
class DimensionSplitTest {
    @Property(tries = 500)
    void thePartsAddUpToTheAmountExactlyAndNoneIsNegative(@ForAll("cents") long cents, @ForAll("weights") List<BigDecimal> weights) {
        Money amount = Money.of(BigDecimal.valueOf(cents, 2), "USD");
        Map<String, BigDecimal> byValue = new LinkedHashMap<>();
        for (int i = 0; i < weights.size(); i++) {
            byValue.put("team-" + i, weights.get(i));
        }
        Map<String, Money> parts = DimensionSplit.split(amount, byValue, "unassigned");
        Money sum = parts.values().stream().reduce(Money.zero("USD"), Money::plus);
        assertThat(sum).isEqualTo(amount.isZero() ? Money.zero("USD") : amount);
        assertThat(parts.values()).allSatisfy(p -> assertThat(p.isNegative()).isFalse());
        // a value without weight gets nothing, unless nobody has weight and the fallback takes it all
        byValue.forEach((value, w) -> {
            if (w.signum() == 0 && parts.containsKey(value)) {
                assertThat(parts.get(value).isZero()).isTrue();
            }
        });
    }

    @Provide
    Arbitrary<Long> cents() {
        return Arbitraries.longs().between(0, 10_000_000_00L);
    }

    @Provide
    Arbitrary<List<BigDecimal>> weights() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.valueOf(1_000_000)).ofScale(6).list().ofMinSize(1).ofMaxSize(12);
    }

    @Test
    void threeEqualTeamsShareACentByLargestRemainder() {
        Map<String, BigDecimal> w = new LinkedHashMap<>();
        w.put("a", BigDecimal.ONE);
        w.put("b", BigDecimal.ONE);
        w.put("c", BigDecimal.ONE);
        assertThat(DimensionSplit.split(Money.of("10.00", "USD"), w, "unassigned").values().stream().map(Money::toPlainMinorString))
                .containsExactly("3.34", "3.33", "3.33");
    }

    @Test
    void noWeightAnywhereGoesToTheFallback() {
        assertThat(DimensionSplit.split(Money.of("4.00", "USD"), Map.of("a", BigDecimal.ZERO), "unassigned"))
                .containsExactly(Map.entry("unassigned", Money.of("4.00", "USD")));
    }
}

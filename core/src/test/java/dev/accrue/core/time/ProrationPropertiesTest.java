package dev.accrue.core.time;

import dev.accrue.core.money.Allocation;
import dev.accrue.core.money.Money;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class ProrationPropertiesTest {

    @Property
    void splitPiecesAllocateBackToTheFullPrice(@ForAll("periods") Period full, @ForAll("cents") long cents,
                                               @ForAll("offsets") Set<Integer> offsets) {
        Money price = Money.of(BigDecimal.valueOf(cents, 2), "EUR");
        List<Period> pieces = split(full, offsets);

        List<BigDecimal> exact = new ArrayList<>();
        long days = 0;
        for (Period piece : pieces) {
            Fraction f = Proration.fraction(piece, full, ProrationPolicy.BY_DAY);
            days += f.numerator();
            exact.add(Proration.prorate(price, f).amount());
        }
        assertThat(days).isEqualTo(full.days());

        List<Money> allocated = Allocation.largestRemainder(price, exact);
        assertThat(allocated.stream().map(Money::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(price.amount());
        for (int i = 0; i < pieces.size(); i++) {
            // Each allocated piece is its exact prorated amount moved by less than one cent.
            assertThat(allocated.get(i).amount().subtract(exact.get(i)).abs()).isLessThan(new BigDecimal("0.01"));
        }
    }

    private static List<Period> split(Period full, Set<Integer> offsets) {
        TreeSet<LocalDate> cuts = new TreeSet<>();
        for (int offset : offsets) {
            long inside = 1 + Math.floorMod(offset, full.days());
            if (inside < full.days()) {
                cuts.add(full.start().plusDays(inside));
            }
        }
        List<Period> pieces = new ArrayList<>();
        Period rest = full;
        for (LocalDate cut : cuts) {
            List<Period> halves = rest.splitAt(cut);
            pieces.add(halves.get(0));
            rest = halves.get(1);
        }
        pieces.add(rest);
        return pieces;
    }

    @Provide
    Arbitrary<Period> periods() {
        return Dates.anchors().flatMap(anchor -> Arbitraries.of(BillingInterval.values())
                .map(interval -> BillingSchedule.of(anchor, interval, Alignment.ANNIVERSARY).firstPeriod()));
    }

    @Provide
    Arbitrary<Long> cents() {
        return Arbitraries.longs().between(1, 10_000_000L);
    }

    @Provide
    Arbitrary<Set<Integer>> offsets() {
        return Arbitraries.integers().between(0, 400).set().ofMaxSize(12);
    }
}

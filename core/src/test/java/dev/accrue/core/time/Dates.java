package dev.accrue.core.time;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.time.LocalDate;
import java.time.Month;

/** Shared generators: dates by epoch day so every calendar day is equally likely, with leap days mixed in. */
final class Dates {

    static final LocalDate MIN = LocalDate.of(2000, 1, 1);
    static final LocalDate MAX = LocalDate.of(2040, 12, 31);

    private Dates() {
    }

    static Arbitrary<LocalDate> between(LocalDate min, LocalDate max) {
        return Arbitraries.longs().between(min.toEpochDay(), max.toEpochDay()).map(LocalDate::ofEpochDay);
    }

    static Arbitrary<LocalDate> anchors() {
        Arbitrary<LocalDate> leapDays = Arbitraries.of(2000, 2004, 2008, 2012, 2016, 2020, 2024, 2028, 2032, 2036, 2040)
                .map(y -> LocalDate.of(y, Month.FEBRUARY, 29));
        Arbitrary<LocalDate> monthEnds = between(MIN, MAX).map(d -> d.withDayOfMonth(d.lengthOfMonth()));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, between(MIN, MAX)),
                net.jqwik.api.Tuple.of(2, leapDays),
                net.jqwik.api.Tuple.of(2, monthEnds));
    }
}

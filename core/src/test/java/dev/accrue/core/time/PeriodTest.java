package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeriodTest {

    private static final Period JUNE = Period.of(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 7, 1));

    @Test
    void isHalfOpen() {
        assertThat(JUNE.days()).isEqualTo(30);
        assertThat(JUNE.contains(LocalDate.of(2026, 6, 1))).isTrue();
        assertThat(JUNE.contains(LocalDate.of(2026, 6, 30))).isTrue();
        assertThat(JUNE.contains(LocalDate.of(2026, 7, 1))).isFalse();
        assertThat(JUNE.contains(LocalDate.of(2026, 5, 31))).isFalse();
    }

    @Test
    void touchingPeriodsDoNotOverlap() {
        Period july = Period.of(LocalDate.of(2026, 7, 1), LocalDate.of(2026, 8, 1));
        Period midJune = Period.of(LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 2));
        assertThat(JUNE.overlaps(july)).isFalse();
        assertThat(july.overlaps(JUNE)).isFalse();
        assertThat(JUNE.overlaps(midJune)).isTrue();
        assertThat(july.overlaps(midJune)).isTrue();
    }

    @Test
    void splitsIntoTwoAdjacentPieces() {
        assertThat(JUNE.splitAt(LocalDate.of(2026, 6, 15))).containsExactly(
                Period.of(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 15)),
                Period.of(LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 1)));
    }

    @Test
    void refusesSplitsAtTheEdgesAndEmptyPeriods() {
        assertThatThrownBy(() -> JUNE.splitAt(LocalDate.of(2026, 6, 1)))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PERIOD));
        assertThatThrownBy(() -> JUNE.splitAt(LocalDate.of(2026, 7, 1))).isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> Period.of(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 1)))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PERIOD));
    }

    @Test
    void dstDaysKeepLocalMidnightBoundaries() {
        Period springForward = Period.of(LocalDate.of(2026, 3, 8), LocalDate.of(2026, 3, 9));
        assertThat(Duration.between(springForward.startInstant(ZoneId.of("America/New_York")),
                springForward.endInstant(ZoneId.of("America/New_York")))).isEqualTo(Duration.ofHours(23));
        // Lord Howe Island shifts by half an hour, on the first Sunday of October.
        Period lordHowe = Period.of(LocalDate.of(2026, 10, 4), LocalDate.of(2026, 10, 5));
        assertThat(Duration.between(lordHowe.startInstant(ZoneId.of("Australia/Lord_Howe")),
                lordHowe.endInstant(ZoneId.of("Australia/Lord_Howe")))).isEqualTo(Duration.ofMinutes(23 * 60 + 30));
    }

    @Property
    void instantsAreLocalMidnights(@ForAll("periods") Period period, @ForAll("zones") ZoneId zone) {
        ZonedDateTime start = period.startInstant(zone).atZone(zone);
        ZonedDateTime end = period.endInstant(zone).atZone(zone);
        assertThat(start.toLocalDate()).isEqualTo(period.start());
        assertThat(start.toLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(end.toLocalDate()).isEqualTo(period.end());
        assertThat(end.toLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(period.startInstant(zone)).isBefore(period.endInstant(zone));
    }

    @Provide
    Arbitrary<Period> periods() {
        return Dates.between(Dates.MIN, Dates.MAX).flatMap(start ->
                Arbitraries.integers().between(1, 400).map(days -> Period.of(start, start.plusDays(days))));
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of("America/New_York", "Europe/Berlin", "Australia/Lord_Howe").map(ZoneId::of);
    }
}

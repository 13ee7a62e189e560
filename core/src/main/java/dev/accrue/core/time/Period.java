package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * A half-open run of billing days {@code [start, end)} in the customer's time zone. Half-open so that
 * consecutive periods share a boundary date without double-counting it, and so that {@link #days()} is a plain
 * subtraction. Empty periods are refused: a billing period with no days cannot be priced.
 */
public record Period(LocalDate start, LocalDate end) {

    public Period {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw new AccrueException(ErrorCode.INVALID_PERIOD, "period",
                    "A period must end after it starts, got [" + start + ", " + end + ")");
        }
    }

    public static Period of(LocalDate start, LocalDate end) {
        return new Period(start, end);
    }

    /** Number of days in the period; the end date is not counted. */
    public long days() {
        return ChronoUnit.DAYS.between(start, end);
    }

    public boolean contains(LocalDate day) {
        return !day.isBefore(start) && day.isBefore(end);
    }

    /** True when the two periods share at least one day; touching periods ([a,b) and [b,c)) do not overlap. */
    public boolean overlaps(Period other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }

    /** True when every day of {@code other} lies in this period. */
    public boolean encloses(Period other) {
        return !other.start.isBefore(start) && !other.end.isAfter(end);
    }

    /**
     * Splits into {@code [start, at)} and {@code [at, end)}. {@code at} must fall strictly inside, because a
     * split at either edge would produce an empty piece.
     */
    public List<Period> splitAt(LocalDate at) {
        if (!at.isAfter(start) || !at.isBefore(end)) {
            throw new AccrueException(ErrorCode.INVALID_PERIOD, "at",
                    "Split day " + at + " must lie strictly inside [" + start + ", " + end + ")");
        }
        return List.of(new Period(start, at), new Period(at, end));
    }

    /**
     * The first instant of the start day in {@code zone}. {@code atStartOfDay(zone)} rather than
     * {@code atTime(MIDNIGHT)}: where a DST jump skips midnight it yields the first valid local time instead of
     * an instant belonging to the previous day.
     */
    public Instant startInstant(ZoneId zone) {
        return start.atStartOfDay(zone).toInstant();
    }

    /** The first instant of the end day in {@code zone}, i.e. the exclusive end of the period. */
    public Instant endInstant(ZoneId zone) {
        return end.atStartOfDay(zone).toInstant();
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}

package dev.accrue.core.addon;

import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What a rented item (a phone number) costs in one calendar month: the days it is chargeable — from the later of
 * the month start, its start and the end of its free trial — over the days of the month, times the monthly fee.
 * A whole month is the full fee; a month the trial covers costs nothing.
 */
public final class RentalPricing {
    private RentalPricing() {
    }

    /** The chargeable part of {@code month}, if any. */
    public static Optional<Period> chargeable(Period month, LocalDate start, LocalDate trialEnds) {
        LocalDate from = month.start();
        if (start.isAfter(from)) {
            from = start;
        }
        if (trialEnds != null && trialEnds.isAfter(from)) {
            from = trialEnds;
        }
        return from.isBefore(month.end()) ? Optional.of(new Period(from, month.end())) : Optional.empty();
    }

    public static Money forPart(Money monthlyFee, Period part, Period month, RoundingPolicy rounding) {
        if (part.equals(month)) {
            return rounding.apply(monthlyFee);
        }
        long days = ChronoUnit.DAYS.between(month.start(), month.end());
        long charged = ChronoUnit.DAYS.between(part.start(), part.end());
        return rounding.apply(monthlyFee.times(BigDecimal.valueOf(charged).divide(BigDecimal.valueOf(days), MathContext.DECIMAL128)));
    }
}

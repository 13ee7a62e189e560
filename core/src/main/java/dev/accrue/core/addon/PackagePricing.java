package dev.accrue.core.addon;

import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.ProrationPolicy;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * What a recurring add-on package costs for one calendar month. Packages that are never prorated (broadcast
 * email) cost their full price whenever they start in the month; others pay the days from their start.
 */
public final class PackagePricing {
    private PackagePricing() {
    }

    public static Money forMonth(Money monthlyPrice, ProrationPolicy proration, LocalDate start, Period month, RoundingPolicy rounding) {
        if (proration == ProrationPolicy.NEVER || !start.isAfter(month.start())) {
            return rounding.apply(monthlyPrice);
        }
        long days = ChronoUnit.DAYS.between(month.start(), month.end());
        long used = ChronoUnit.DAYS.between(start, month.end());
        return rounding.apply(monthlyPrice.times(BigDecimal.valueOf(used).divide(BigDecimal.valueOf(days), MathContext.DECIMAL128)));
    }

    public static Period calendarMonth(LocalDate day) {
        LocalDate first = day.withDayOfMonth(1);
        return new Period(first, first.plusMonths(1));
    }
}

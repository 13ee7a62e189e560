package dev.accrue.core.alert;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Where usage is heading inside an allowance window. Two rules, both pure:
 * <ul>
 * <li>{@link #dateReached}: at the window's average pace so far (used ÷ time elapsed), the day a limit will be
 * reached — what an alert tells the customer ("at this rate you run out on the 24th").</li>
 * <li>{@link #projectedTotal}: the trend of the completed days (least-squares line through the daily usage,
 * never below zero) carried to the window's end, so a rising series is projected rising rather than at its
 * average; needs {@link #MIN_DAYS} completed days, since two points make any slope.</li>
 * </ul>
 */
public final class UsagePace {
    public static final int MIN_DAYS = 3;

    private UsagePace() {
    }

    /**
     * The day (in {@code zone}) on which {@code limit} is reached at the pace {@code used} took since
     * {@code windowStart}: today when already reached, empty when nothing was used yet (no pace) or when the
     * pace does not reach it before {@code windowEnd}.
     */
    public static Optional<LocalDate> dateReached(BigDecimal used, BigDecimal limit, Instant windowStart, Instant now, Instant windowEnd,
                                                  ZoneId zone) {
        if (used.compareTo(limit) >= 0) {
            return Optional.of(LocalDate.ofInstant(now, zone));
        }
        long elapsed = Duration.between(windowStart, now).toSeconds();
        if (used.signum() <= 0 || elapsed <= 0) {
            return Optional.empty();
        }
        BigDecimal seconds = limit.subtract(used).multiply(BigDecimal.valueOf(elapsed)).divide(used, 0, RoundingMode.CEILING);
        if (seconds.compareTo(BigDecimal.valueOf(Duration.between(now, windowEnd).toSeconds())) >= 0) {
            return Optional.empty();
        }
        return Optional.of(LocalDate.ofInstant(now.plusSeconds(seconds.longValueExact()), zone));
    }

    /**
     * The window's projected total: the completed days' usage ({@code completedDays}, one value per day from the
     * window start, zeros included) plus, for each remaining day of the {@code windowDays}, the fitted line's value
     * (negative values count as zero); never less than {@code usedSoFar}. Empty with fewer than {@link #MIN_DAYS}
     * completed days. Rounded to 2 decimals.
     */
    public static Optional<BigDecimal> projectedTotal(List<BigDecimal> completedDays, BigDecimal usedSoFar, int windowDays) {
        int n = completedDays.size();
        if (n < MIN_DAYS) {
            return Optional.empty();
        }
        MathContext mc = MathContext.DECIMAL64;
        BigDecimal count = BigDecimal.valueOf(n);
        BigDecimal sumX = BigDecimal.ZERO;
        BigDecimal sumY = BigDecimal.ZERO;
        BigDecimal sumXY = BigDecimal.ZERO;
        BigDecimal sumXX = BigDecimal.ZERO;
        for (int x = 0; x < n; x++) {
            BigDecimal bx = BigDecimal.valueOf(x);
            BigDecimal y = completedDays.get(x);
            sumX = sumX.add(bx);
            sumY = sumY.add(y);
            sumXY = sumXY.add(bx.multiply(y));
            sumXX = sumXX.add(bx.multiply(bx));
        }
        BigDecimal denominator = count.multiply(sumXX).subtract(sumX.multiply(sumX));
        BigDecimal slope = count.multiply(sumXY).subtract(sumX.multiply(sumY)).divide(denominator, mc);
        BigDecimal intercept = sumY.subtract(slope.multiply(sumX)).divide(count, mc);
        BigDecimal total = sumY;
        for (int x = n; x < windowDays; x++) {
            total = total.add(intercept.add(slope.multiply(BigDecimal.valueOf(x))).max(BigDecimal.ZERO));
        }
        return Optional.of(total.max(usedSoFar).setScale(2, RoundingMode.HALF_UP));
    }
}

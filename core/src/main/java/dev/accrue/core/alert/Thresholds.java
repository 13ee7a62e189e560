package dev.accrue.core.alert;

import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.UsageAlertSpec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage alert thresholds and when one is reached. A threshold is a percentage of the allowance window's included
 * quantity (1–1000 %: past 100 % it warns about overage) or an absolute amount in the metric's unit. A plan lists
 * its own per metric ({@code usage_alerts}); a metered metric it does not list gets {@link #DEFAULT_PERCENTS}.
 * The seeds' call-seconds thresholds (75, 90, 95, 100) are data in the demo catalogs, not a rule here.
 */
public final class Thresholds {
    public static final List<BigDecimal> DEFAULT_PERCENTS = List.of(BigDecimal.valueOf(50), BigDecimal.valueOf(75), BigDecimal.valueOf(90),
            BigDecimal.valueOf(100));
    public static final BigDecimal MIN_PERCENT = BigDecimal.ONE;
    public static final BigDecimal MAX_PERCENT = BigDecimal.valueOf(1000);
    /** Amounts are bounded like catalog allowances. */
    public static final BigDecimal MAX_AMOUNT = BigDecimal.TEN.pow(12);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Thresholds() {
    }

    public enum Kind { PERCENT, AMOUNT }

    /** One threshold; {@link #key()} names it in the once-per-window record ({@code 75%}, {@code 3600}). */
    public record Threshold(Kind kind, BigDecimal value) {
        public String key() {
            String v = value.stripTrailingZeros().toPlainString();
            return kind == Kind.PERCENT ? v + "%" : v;
        }
    }

    /** A threshold reached in a window: the usage it stands for ({@code limit}) and the percent of the allowance used. */
    public record Reached(Threshold threshold, BigDecimal limit) {
    }

    /** Why a percentage is refused, or null: it must be 1–1000 with at most 2 decimals. */
    public static String percentError(BigDecimal percent) {
        if (percent == null || percent.compareTo(MIN_PERCENT) < 0 || percent.compareTo(MAX_PERCENT) > 0) {
            return "a threshold percentage must be 1-1000, got " + (percent == null ? "nothing" : percent.toPlainString());
        }
        if (percent.stripTrailingZeros().scale() > 2) {
            return "a threshold percentage has at most 2 decimals, got " + percent.toPlainString();
        }
        return null;
    }

    /** Why an absolute threshold is refused, or null: it must be above 0 and at most 10^12. */
    public static String amountError(BigDecimal amount) {
        if (amount == null || amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            return "a threshold amount must be more than 0 and at most 10^12, got " + (amount == null ? "nothing" : amount.toPlainString());
        }
        return null;
    }

    /** The plan's thresholds for {@code metric}: its {@code usage_alerts} entry, or the default percentages. */
    public static List<Threshold> ofPlan(Plan plan, String metric) {
        return plan.usageAlerts(metric).map(Thresholds::of).orElseGet(() -> percents(DEFAULT_PERCENTS));
    }

    public static List<Threshold> of(UsageAlertSpec spec) {
        List<Threshold> out = new ArrayList<>(percents(spec.percents() == null ? DEFAULT_PERCENTS : spec.percents()));
        spec.amounts().forEach(a -> out.add(new Threshold(Kind.AMOUNT, a)));
        return out;
    }

    public static List<Threshold> percents(List<BigDecimal> percents) {
        return percents.stream().map(p -> new Threshold(Kind.PERCENT, p)).toList();
    }

    /**
     * The usage at which a threshold is reached in a window that includes {@code included}; null for a percentage
     * when nothing is included (a percentage of nothing is never reached).
     */
    public static BigDecimal limit(Threshold t, BigDecimal included) {
        if (t.kind() == Kind.AMOUNT) {
            return t.value();
        }
        return included.signum() <= 0 ? null : included.multiply(t.value()).divide(HUNDRED, 6, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    /** The thresholds {@code used} has reached (used ≥ limit), in the order given. */
    public static List<Reached> reached(List<Threshold> thresholds, BigDecimal used, BigDecimal included) {
        List<Reached> out = new ArrayList<>();
        for (Threshold t : thresholds) {
            BigDecimal limit = limit(t, included);
            if (limit != null && used.compareTo(limit) >= 0) {
                out.add(new Reached(t, limit));
            }
        }
        return out;
    }

    /**
     * The least usage above {@code used} at which one of {@code thresholds} is reached, or null when none is left in
     * the window: what the alert evaluator's gate compares a key's usage with between evaluations.
     */
    public static BigDecimal nextLimit(List<Threshold> thresholds, BigDecimal used, BigDecimal included) {
        BigDecimal next = null;
        for (Threshold t : thresholds) {
            BigDecimal limit = limit(t, included);
            if (limit != null && used.compareTo(limit) < 0 && (next == null || limit.compareTo(next) < 0)) {
                next = limit;
            }
        }
        return next;
    }

    /** Percent of the allowance used, 2 decimals; null when nothing is included. */
    public static BigDecimal percentUsed(BigDecimal used, BigDecimal included) {
        return included.signum() <= 0 ? null : used.multiply(HUNDRED).divide(included, 2, RoundingMode.HALF_UP);
    }
}

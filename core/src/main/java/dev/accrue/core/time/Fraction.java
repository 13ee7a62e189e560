package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An exact ratio such as 16/30 remaining days. Kept unreduced so it still reads as "days left / days in period"
 * in logs and invoice line descriptions.
 */
public record Fraction(long numerator, long denominator) {

    public static final Fraction ONE = new Fraction(1, 1);

    /**
     * Precision for quotients that do not terminate (x/3, x/7, ...). 34 significant digits is far below the
     * minor unit of any currency, so the single rounding at the invoice line (Money.rounded) decides the cents,
     * not this step.
     */
    static final MathContext NON_TERMINATING = new MathContext(34, RoundingMode.HALF_EVEN);

    public Fraction {
        if (denominator <= 0) {
            throw AccrueException.invalid("denominator", "A fraction needs a positive denominator, got " + denominator);
        }
    }

    /** True for n/n: the whole of something, however many days it has (31/31 is a full month, not a share of one). */
    public boolean isWhole() {
        return numerator == denominator;
    }

    /** {@code value × numerator / denominator}, multiplying first so terminating results stay exact. */
    public BigDecimal applyTo(BigDecimal value) {
        BigDecimal product = value.multiply(BigDecimal.valueOf(numerator));
        BigDecimal divisor = BigDecimal.valueOf(denominator);
        try {
            return product.divide(divisor);
        } catch (ArithmeticException nonTerminating) {
            return product.divide(divisor, NON_TERMINATING);
        }
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}

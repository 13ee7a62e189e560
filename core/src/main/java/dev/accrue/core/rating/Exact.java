package dev.accrue.core.rating;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** The one division of rating: a scaled price by the pricing's per-units, done once per quantity. */
final class Exact {

    /**
     * Same precision as proration: 34 significant digits is far below any minor unit, so the single rounding
     * of the rated line (RoundingPolicy) decides the cents, not this step.
     */
    static final MathContext NON_TERMINATING = new MathContext(34, RoundingMode.HALF_EVEN);

    private Exact() {
    }

    static BigDecimal divide(BigDecimal numerator, BigDecimal divisor) {
        if (divisor.compareTo(BigDecimal.ONE) == 0) {
            return numerator;
        }
        try {
            return numerator.divide(divisor);
        } catch (ArithmeticException nonTerminating) {
            return numerator.divide(divisor, NON_TERMINATING);
        }
    }
}

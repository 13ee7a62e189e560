package dev.accrue.core.money;

import dev.accrue.core.error.AccrueException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits an amount into parts that add up exactly, the way discounts, credits and per-line tax are shared out.
 * Works in integer minor units throughout so that no rounding step can lose or invent a cent.
 */
public final class Allocation {

    private Allocation() {
    }

    /**
     * Largest-remainder split of {@code total} by {@code weights}: each part gets the floor of its exact share in
     * minor units, and the leftover units go one each to the largest remainders; equal remainders go to the
     * earlier index so the result is deterministic. A negative total is split by its magnitude and negated, so
     * credits behave like charges.
     */
    public static List<Money> largestRemainder(Money total, List<BigDecimal> weights) {
        if (weights == null || weights.isEmpty()) {
            throw AccrueException.invalid("weights", "Allocation needs at least one weight");
        }
        int digits = total.minorUnitDigits();
        if (total.amount().scale() > digits) {
            throw AccrueException.invalid("total",
                    "Allocate a total already in minor units; " + total.amount().toPlainString() + " has more than "
                            + digits + " decimals");
        }
        int scale = 0;
        for (BigDecimal w : weights) {
            if (w == null || w.signum() < 0) {
                throw AccrueException.invalid("weights", "Weights must be zero or positive, got " + w);
            }
            scale = Math.max(scale, w.scale());
        }
        // Common scale turns the weights into exact integers with the same ratios.
        List<BigInteger> units = new ArrayList<>(weights.size());
        BigInteger weightSum = BigInteger.ZERO;
        for (BigDecimal w : weights) {
            BigInteger u = w.setScale(scale).unscaledValue();
            units.add(u);
            weightSum = weightSum.add(u);
        }
        if (weightSum.signum() == 0) {
            throw AccrueException.invalid("weights", "At least one weight must be positive");
        }

        BigInteger minor = total.amount().movePointRight(digits).toBigIntegerExact();
        BigInteger magnitude = minor.abs();
        BigInteger[] shares = new BigInteger[units.size()];
        BigInteger[] remainders = new BigInteger[units.size()];
        BigInteger allocated = BigInteger.ZERO;
        for (int i = 0; i < units.size(); i++) {
            BigInteger[] qr = magnitude.multiply(units.get(i)).divideAndRemainder(weightSum);
            shares[i] = qr[0];
            remainders[i] = qr[1];
            allocated = allocated.add(qr[0]);
        }
        // Fewer leftover units than parts, since each floor loses less than one unit.
        int leftover = magnitude.subtract(allocated).intValueExact();
        int[] order = IntStream.range(0, units.size()).boxed()
                .sorted(Comparator.<Integer, BigInteger>comparing(i -> remainders[i]).reversed()
                        .thenComparing(i -> i))
                .mapToInt(Integer::intValue)
                .limit(leftover)
                .toArray();
        for (int i : order) {
            shares[i] = shares[i].add(BigInteger.ONE);
        }

        List<Money> parts = new ArrayList<>(shares.length);
        for (BigInteger share : shares) {
            BigInteger signed = minor.signum() < 0 ? share.negate() : share;
            parts.add(new Money(new BigDecimal(signed, digits), total.currency()));
        }
        return List.copyOf(parts);
    }
}

package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;

import java.math.RoundingMode;
import java.util.Objects;

/**
 * A tenant's choice of how invoice lines are brought to the minor unit. It delegates to {@link Money#rounded}
 * so that there stays exactly one rounding place in the code base.
 */
public record RoundingPolicy(RoundingMode mode) {

    public static final RoundingPolicy DEFAULT = new RoundingPolicy(RoundingMode.HALF_UP);

    public RoundingPolicy {
        Objects.requireNonNull(mode, "mode");
        // UNNECESSARY would throw on the first line with a fractional cent; refuse it at configuration time.
        if (mode == RoundingMode.UNNECESSARY) {
            throw AccrueException.invalid("rounding_mode", "Rounding mode UNNECESSARY cannot round invoice lines");
        }
    }

    public RoundingPolicy() {
        this(RoundingMode.HALF_UP);
    }

    public Money apply(Money money) {
        return money.rounded(mode);
    }
}

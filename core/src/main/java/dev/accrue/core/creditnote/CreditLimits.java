package dev.accrue.core.creditnote;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;

import java.util.Map;

/**
 * The refusals of a credit note above what its invoice can still give back ({@link InvoiceCredits} says what that is):
 * one error code, {@code credit_exceeds_remaining}, with what is left.
 */
public final class CreditLimits {
    private CreditLimits() {
    }

    /** Refuses {@code requested} above {@code remaining}, naming both. */
    public static void requireWithin(String field, Money requested, Money remaining, String what) {
        if (requested.compareTo(remaining) > 0) {
            throw new AccrueException(ErrorCode.CREDIT_EXCEEDS_REMAINING, field, "Cannot credit " + requested.toPlainMinorString() + " "
                    + requested.currency().getCurrencyCode() + " on " + what + ": only " + remaining.toPlainMinorString() + " can still be credited",
                    Map.of("remaining", remaining.toPlainMinorString()));
        }
    }

    /** The refusal when earlier credit notes already credited all of {@code what}. */
    public static AccrueException nothingLeft(String field, String what) {
        return new AccrueException(ErrorCode.CREDIT_EXCEEDS_REMAINING, field, "Nothing of " + what + " can still be credited: earlier credit notes took it all",
                Map.of("remaining", "0"));
    }
}

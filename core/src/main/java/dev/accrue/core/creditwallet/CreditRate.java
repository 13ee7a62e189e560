package dev.accrue.core.creditwallet;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * The conversion between a wallet's credits and money: one credit is worth {@code rate} of the customer's currency. The
 * one place credits become money and back. Money is rounded half-even to the minor unit once; credits are kept to
 * {@link #CREDIT_SCALE} decimals, and paying an amount takes the credits it costs rounded up at that scale, so credits
 * never buy more than they are worth.
 */
public record CreditRate(BigDecimal rate, Currency currency) {
    public static final int CREDIT_SCALE = 6;

    public CreditRate {
        if (rate.signum() <= 0) {
            throw new IllegalArgumentException("a rate is more than 0: " + rate);
        }
    }

    /** What {@code credits} are worth, rounded to the minor unit. */
    public Money value(BigDecimal credits) {
        return new Money(credits.multiply(rate), currency).rounded(RoundingMode.HALF_EVEN);
    }

    /** The credits that pay {@code amount}, rounded up to {@link #CREDIT_SCALE} decimals. */
    public BigDecimal creditsFor(Money amount) {
        return amount.amount().divide(rate, CREDIT_SCALE, RoundingMode.CEILING);
    }
}

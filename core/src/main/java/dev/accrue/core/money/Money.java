package dev.accrue.core.money;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount in one currency. Amounts keep whatever precision the computation produced (unit prices
 * carry 9+ decimals); {@link #rounded(RoundingMode)} is the one place an amount is brought to the currency's
 * minor unit, and invoice lines call it exactly once. Mixing currencies throws {@code currency_mismatch}.
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        amount = amount.stripTrailingZeros();
        if (amount.scale() < 0) {
            amount = amount.setScale(0);
        }
    }

    public static Money of(String amount, String currencyCode) {
        return new Money(new BigDecimal(amount), currency(currencyCode));
    }

    public static Money of(BigDecimal amount, String currencyCode) {
        return new Money(amount, currency(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    public static Money zero(String currencyCode) {
        return zero(currency(currencyCode));
    }

    /**
     * Parses an ISO 4217 code, failing with {@code invalid_currency} for anything the JDK does not know and for
     * the codes ISO lists that are not money one can bill in (XXX "no currency", XTS "testing", gold, SDRs…):
     * the JDK gives those no minor unit, so no amount in them could be rounded.
     */
    public static Currency currency(String code) {
        if (!threeCapitals(code)) {
            throw new AccrueException(ErrorCode.INVALID_CURRENCY, "currency",
                    "Currency must be an ISO 4217 code such as USD or EUR, got '" + code + "'");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new AccrueException(ErrorCode.INVALID_CURRENCY, "currency", "Unknown ISO 4217 currency '" + code + "'");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new AccrueException(ErrorCode.INVALID_CURRENCY, "currency", code + " is not a currency one can bill in");
        }
        return currency;
    }

    /** {@code [A-Z]{3}}, without compiling that pattern on every amount made from a code. */
    private static boolean threeCapitals(String code) {
        if (code == null || code.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (code.charAt(i) < 'A' || code.charAt(i) > 'Z') {
                return false;
            }
        }
        return true;
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.subtract(other.amount), currency);
    }

    public Money times(BigDecimal factor) {
        return new Money(amount.multiply(factor), currency);
    }

    public Money times(long factor) {
        return times(BigDecimal.valueOf(factor));
    }

    public Money negate() {
        return new Money(amount.negate(), currency);
    }

    /** Rounds to the currency's minor unit. The only rounding of money in the code base. */
    public Money rounded(RoundingMode mode) {
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        return new Money(amount.setScale(digits, mode), currency);
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    public boolean isPositive() {
        return amount.signum() > 0;
    }

    public int minorUnitDigits() {
        return Math.max(currency.getDefaultFractionDigits(), 0);
    }

    /**
     * The one written form of an amount, on the wire and in documents: at least the currency's minor-unit
     * digits ("100.00", "22.50", "0.00"), more only when the amount has them ("0.0125" for a unit price),
     * never trailing zeros beyond that however the amount was stored ("16.000000" reads "16.00").
     */
    public String toPlainMinorString() {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.setScale(Math.max(minorUnitDigits(), stripped.scale()), RoundingMode.UNNECESSARY).toPlainString();
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new AccrueException(ErrorCode.CURRENCY_MISMATCH,
                    "Cannot combine " + currency.getCurrencyCode() + " with " + other.currency.getCurrencyCode());
        }
    }

    @Override
    public String toString() {
        return toPlainMinorString() + " " + currency.getCurrencyCode();
    }
}

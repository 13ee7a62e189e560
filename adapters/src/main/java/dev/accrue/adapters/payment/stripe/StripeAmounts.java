package dev.accrue.adapters.payment.stripe;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/**
 * Stripe's amounts are integers in the currency's smallest unit (docs.stripe.com/currencies, "Minor units in
 * API amounts"). Stripe's zero-decimal currencies count whole units; its three-decimal currencies (BHD, JOD,
 * KWD, OMR, TND) count thousandths; every other currency counts hundredths, including ISK, which Stripe keeps
 * in a two-decimal representation for compatibility although ISO gives it none.
 *
 * <p>An amount finer than that unit is refused, never rounded: collection charges invoice totals that were
 * rounded once, where Accrue rounds money; rounding a second time here would charge a different amount.
 */
final class StripeAmounts {
    /** Stripe's zero-decimal currencies (docs.stripe.com/currencies#zero-decimal). */
    static final Set<String> ZERO_DECIMAL = Set.of("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
            "UGX", "VND", "VUV", "XAF", "XOF", "XPF");

    private StripeAmounts() {
    }

    static int exponent(String currencyCode) {
        if (ZERO_DECIMAL.contains(currencyCode)) {
            return 0;
        }
        return Math.max(Currency.getInstance(currencyCode).getDefaultFractionDigits(), 2);
    }

    static long minorUnits(Money money) {
        String code = money.currency().getCurrencyCode();
        BigDecimal scaled = money.amount().movePointRight(exponent(code));
        try {
            return scaled.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Stripe cannot charge " + money + ": finer than the currency's smallest unit", e);
        }
    }

    /** The inverse of {@link #minorUnits}: Stripe's integer amount in {@code currency} (as Stripe writes it, lower case). */
    static Money fromMinorUnits(long minor, String currency) {
        String code = currency.toUpperCase(Locale.ROOT);
        return Money.of(BigDecimal.valueOf(minor).movePointLeft(exponent(code)), code);
    }

    static String currency(Money money) {
        return money.currency().getCurrencyCode().toLowerCase(Locale.ROOT);
    }
}

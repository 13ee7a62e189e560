package dev.accrue.app.creditwallet;

import dev.accrue.core.creditwallet.CreditRate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/**
 * A wallet of credits (issue 16 point 14): in its own {@code unit}, one credit worth {@code rate} of the customer's
 * {@code currency}. Wallets are consumed in {@code priority} order (lowest first); within a wallet granted credits go
 * before paid ones unless {@code paidFirst}. {@code appliesTo} restricts it to those charge codes (null: every charge).
 * {@code recurringCredits} are granted on the 1st of every month (customer's time zone), expiring at the next 1st when
 * {@code recurringExpires}. Below {@code topUpThreshold} credits the wallet buys up to {@code topUpTarget} through the
 * customer's default payment method.
 */
public record CreditWallet(String id, String customerId, String name, String unit, Currency currency, BigDecimal rate, int priority, boolean paidFirst,
                           List<String> appliesTo, BigDecimal recurringCredits, boolean recurringExpires, BigDecimal topUpThreshold,
                           BigDecimal topUpTarget, Instant createdAt) {

    public CreditRate creditRate() {
        return new CreditRate(rate, currency);
    }

    public boolean restricted() {
        return appliesTo != null;
    }
}

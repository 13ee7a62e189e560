package dev.accrue.core.creditwallet;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;

/** Credits taken from one lot to pay {@code amount} of an invoice. */
public record CreditDraw(String lotId, BigDecimal credits, Money amount) {
}

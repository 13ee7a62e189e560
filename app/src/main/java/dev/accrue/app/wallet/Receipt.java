package dev.accrue.app.wallet;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Instant;

/** The document a top-up produces: amount credited, VAT, total paid, the wallet's new balance. */
public record Receipt(String id, String number, String customerId, String entryId, Money amount, BigDecimal taxRate, Money tax, Money total,
                      Money balanceAfter, Instant createdAt) {
}

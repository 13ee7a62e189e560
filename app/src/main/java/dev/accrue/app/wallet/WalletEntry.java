package dev.accrue.app.wallet;

import dev.accrue.core.money.Money;
import dev.accrue.core.wallet.WalletEntryKind;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One immutable ledger entry: {@code amount} is signed (credit > 0, debit < 0) and {@code balanceAfter} is the
 * running balance when it was written (a cache of the fold, for history views). Usage drawn in real time names
 * the {@code windowKey} it pays for (subscription, cadence, window start) and the window's end.
 */
public record WalletEntry(String id, String customerId, WalletEntryKind kind, Money amount, Money balanceAfter, String subscriptionId,
                          String windowKey, LocalDate windowEnd, String description, Instant createdAt) {
}

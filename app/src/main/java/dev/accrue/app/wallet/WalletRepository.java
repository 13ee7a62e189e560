package dev.accrue.app.wallet;

import dev.accrue.app.page.PageRequest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

public interface WalletRepository {
    Optional<Wallet> find(String tenantId, String customerId);

    /** Creates the wallet if it has none yet, then locks its row for the rest of the transaction. */
    Wallet lock(String tenantId, String customerId, Currency currency, Instant now);

    void configure(String tenantId, String customerId, BigDecimal creditLimit, BigDecimal rechargeThreshold, BigDecimal rechargeAmount, Instant now);

    void setRechargeRequested(String tenantId, String customerId, Instant at);

    /** The fold of every entry. */
    BigDecimal balance(String tenantId, String customerId);

    /** The fold of the entries written before {@code at}. */
    BigDecimal balanceBefore(String tenantId, String customerId, Instant at);

    void append(String tenantId, WalletEntry entry);

    /** Newest first, one more than the page's limit (so the caller knows whether there is more). */
    List<WalletEntry> history(String tenantId, String customerId, PageRequest page);

    List<WalletEntry> between(String tenantId, String customerId, Instant from, Instant to);

    /** Net usage drawn so far for one usage window. */
    BigDecimal drawn(String tenantId, String subscriptionId, String windowKey);

    /** Usage entries of the subscription not yet settled by an invoice, whose window key starts with {@code keyPrefix} and ends by {@code closedBy}. */
    List<WalletEntry> unsettledUsage(String tenantId, String subscriptionId, String keyPrefix, LocalDate closedBy);

    void settle(String tenantId, Collection<String> entryIds, String invoiceId);

    long nextNumber(String tenantId, String series);

    void insertReceipt(String tenantId, Receipt receipt);

    Optional<Receipt> receipt(String tenantId, String id);

    /** Receipts newest first, of one customer or (customerId null) of the tenant; {@code limit + 1} rows. */
    List<Receipt> receipts(String tenantId, String customerId, PageRequest page);

    /** Records that the statement of {@code month} (its 1st) was emailed; false when it already was. */
    boolean markStatementSent(String tenantId, String customerId, LocalDate month, String emailId, Instant at);

    /** What the customer's finalized, unpaid invoices issued in [from, to) still owe. */
    BigDecimal owedOnInvoices(String tenantId, String customerId, LocalDate from, LocalDate to);
}

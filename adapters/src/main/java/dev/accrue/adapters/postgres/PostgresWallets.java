package dev.accrue.adapters.postgres;

import dev.accrue.app.page.PageRequest;
import dev.accrue.app.wallet.Receipt;
import dev.accrue.app.wallet.Wallet;
import dev.accrue.app.wallet.WalletEntry;
import dev.accrue.app.wallet.WalletRepository;
import dev.accrue.core.money.Money;
import dev.accrue.core.wallet.WalletEntryKind;
import org.jdbi.v3.core.mapper.RowMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

public final class PostgresWallets implements WalletRepository {
    private static final RowMapper<Wallet> WALLET = (rs, ctx) -> new Wallet(rs.getString("customer_id"), Currency.getInstance(rs.getString("currency")),
            rs.getBigDecimal("credit_limit").stripTrailingZeros(), strip(rs.getBigDecimal("auto_recharge_threshold")),
            strip(rs.getBigDecimal("auto_recharge_amount")), Rows.instant(rs, "recharge_requested_at"), Rows.instant(rs, "created_at"),
            Rows.instant(rs, "updated_at"));
    private static final RowMapper<WalletEntry> ENTRY = (rs, ctx) -> {
        String currency = rs.getString("currency");
        return new WalletEntry(rs.getString("id"), rs.getString("customer_id"), WalletEntryKind.fromWire(rs.getString("kind")),
                Money.of(rs.getBigDecimal("amount").stripTrailingZeros(), currency), Money.of(rs.getBigDecimal("balance_after").stripTrailingZeros(), currency),
                rs.getString("subscription_id"), rs.getString("window_key"), rs.getObject("window_end", LocalDate.class), rs.getString("description"),
                Rows.instant(rs, "created_at"));
    };
    private static final RowMapper<Receipt> RECEIPT = (rs, ctx) -> {
        String currency = rs.getString("currency");
        return new Receipt(rs.getString("id"), rs.getString("number"), rs.getString("customer_id"), rs.getString("entry_id"),
                Money.of(rs.getBigDecimal("amount").stripTrailingZeros(), currency), rs.getBigDecimal("tax_rate").stripTrailingZeros(),
                Money.of(rs.getBigDecimal("tax").stripTrailingZeros(), currency), Money.of(rs.getBigDecimal("total").stripTrailingZeros(), currency),
                Money.of(rs.getBigDecimal("balance_after").stripTrailingZeros(), currency), Rows.instant(rs, "created_at"));
    };
    private final JdbiTransactions tx;

    public PostgresWallets(JdbiTransactions tx) {
        this.tx = tx;
    }

    private static BigDecimal strip(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros();
    }

    @Override
    public Optional<Wallet> find(String tenantId, String customerId) {
        return tx.handle().createQuery("SELECT * FROM wallets WHERE tenant_id = :tenant AND customer_id = :customer")
                .bind("tenant", tenantId).bind("customer", customerId).map(WALLET).findOne();
    }

    @Override
    public Wallet lock(String tenantId, String customerId, Currency currency, Instant now) {
        tx.handle().createUpdate("""
                        INSERT INTO wallets (tenant_id, customer_id, currency, created_at, updated_at) VALUES (:tenant, :customer, :currency, :at, :at)
                        ON CONFLICT (tenant_id, customer_id) DO NOTHING""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("currency", currency.getCurrencyCode()).bind("at", Rows.utc(now)).execute();
        return tx.handle().createQuery("SELECT * FROM wallets WHERE tenant_id = :tenant AND customer_id = :customer FOR UPDATE")
                .bind("tenant", tenantId).bind("customer", customerId).map(WALLET).one();
    }

    @Override
    public void configure(String tenantId, String customerId, BigDecimal creditLimit, BigDecimal threshold, BigDecimal amount, Instant now) {
        tx.handle().createUpdate("""
                        UPDATE wallets SET credit_limit = :limit, auto_recharge_threshold = :threshold, auto_recharge_amount = :amount, updated_at = :at
                        WHERE tenant_id = :tenant AND customer_id = :customer""")
                .bind("limit", creditLimit).bind("threshold", threshold).bind("amount", amount).bind("at", Rows.utc(now))
                .bind("tenant", tenantId).bind("customer", customerId).execute();
    }

    @Override
    public void setRechargeRequested(String tenantId, String customerId, Instant at) {
        tx.handle().createUpdate("UPDATE wallets SET recharge_requested_at = :at WHERE tenant_id = :tenant AND customer_id = :customer")
                .bind("at", at == null ? null : Rows.utc(at)).bind("tenant", tenantId).bind("customer", customerId).execute();
    }

    @Override
    public BigDecimal balance(String tenantId, String customerId) {
        return tx.handle().createQuery("SELECT coalesce(sum(amount), 0) FROM wallet_entries WHERE tenant_id = :tenant AND customer_id = :customer")
                .bind("tenant", tenantId).bind("customer", customerId).mapTo(BigDecimal.class).one().stripTrailingZeros();
    }

    @Override
    public BigDecimal balanceBefore(String tenantId, String customerId, Instant at) {
        return tx.handle().createQuery("""
                        SELECT coalesce(sum(amount), 0) FROM wallet_entries WHERE tenant_id = :tenant AND customer_id = :customer AND created_at < :at""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("at", Rows.utc(at)).mapTo(BigDecimal.class).one().stripTrailingZeros();
    }

    @Override
    public void append(String tenantId, WalletEntry e) {
        tx.handle().createUpdate("""
                        INSERT INTO wallet_entries (tenant_id, id, customer_id, currency, kind, amount, balance_after, subscription_id, window_key,
                                                    window_end, description, created_at)
                        VALUES (:tenant, :id, :customer, :currency, :kind, :amount, :after, :sub, :window, :windowEnd, :description, :at)""")
                .bind("tenant", tenantId).bind("id", e.id()).bind("customer", e.customerId()).bind("currency", e.amount().currency().getCurrencyCode())
                .bind("kind", e.kind().wire()).bind("amount", e.amount().amount()).bind("after", e.balanceAfter().amount())
                .bind("sub", e.subscriptionId()).bind("window", e.windowKey()).bind("windowEnd", e.windowEnd()).bind("description", e.description())
                .bind("at", Rows.utc(e.createdAt())).execute();
    }

    @Override
    public List<WalletEntry> history(String tenantId, String customerId, PageRequest page) {
        return tx.handle().createQuery("""
                        SELECT * FROM wallet_entries WHERE tenant_id = :tenant AND customer_id = :customer AND (:after IS NULL OR id < :after)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("after", page.startingAfter()).bind("limit", page.limit() + 1)
                .map(ENTRY).list();
    }

    @Override
    public List<WalletEntry> between(String tenantId, String customerId, Instant from, Instant to) {
        return tx.handle().createQuery("""
                        SELECT * FROM wallet_entries WHERE tenant_id = :tenant AND customer_id = :customer AND created_at >= :from AND created_at < :to
                        ORDER BY created_at, id""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("from", Rows.utc(from)).bind("to", Rows.utc(to)).map(ENTRY).list();
    }

    @Override
    public BigDecimal drawn(String tenantId, String subscriptionId, String windowKey) {
        return tx.handle().createQuery("""
                        SELECT coalesce(sum(amount), 0) FROM wallet_entries
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND window_key = :window AND kind = 'usage'""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("window", windowKey).mapTo(BigDecimal.class).one().stripTrailingZeros();
    }

    @Override
    public List<WalletEntry> unsettledUsage(String tenantId, String subscriptionId, String keyPrefix, LocalDate closedBy) {
        return tx.handle().createQuery("""
                        SELECT e.* FROM wallet_entries e
                        WHERE e.tenant_id = :tenant AND e.subscription_id = :sub AND e.kind = 'usage' AND e.window_key LIKE :prefix
                          AND e.window_end <= :closedBy
                          AND NOT EXISTS (SELECT 1 FROM wallet_entry_settlements s WHERE s.tenant_id = e.tenant_id AND s.entry_id = e.id)
                        ORDER BY e.id""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("prefix", keyPrefix.replace("%", "\\%") + "%").bind("closedBy", closedBy)
                .map(ENTRY).list();
    }

    @Override
    public void settle(String tenantId, Collection<String> entryIds, String invoiceId) {
        var batch = tx.handle().prepareBatch("INSERT INTO wallet_entry_settlements (tenant_id, entry_id, invoice_id) VALUES (:tenant, :entry, :invoice)");
        for (String id : entryIds) {
            batch.bind("tenant", tenantId).bind("entry", id).bind("invoice", invoiceId).add();
        }
        batch.execute();
    }

    @Override
    public long nextNumber(String tenantId, String series) {
        return tx.handle().createQuery("""
                        INSERT INTO document_counters (tenant_id, series, last_number) VALUES (:tenant, :series, 1)
                        ON CONFLICT (tenant_id, series) DO UPDATE SET last_number = document_counters.last_number + 1
                        RETURNING last_number""")
                .bind("tenant", tenantId).bind("series", series).mapTo(Long.class).one();
    }

    @Override
    public void insertReceipt(String tenantId, Receipt r) {
        tx.handle().createUpdate("""
                        INSERT INTO receipts (tenant_id, id, number, customer_id, entry_id, currency, amount, tax_rate, tax, total, balance_after, created_at)
                        VALUES (:tenant, :id, :number, :customer, :entry, :currency, :amount, :rate, :tax, :total, :after, :at)""")
                .bind("tenant", tenantId).bind("id", r.id()).bind("number", r.number()).bind("customer", r.customerId()).bind("entry", r.entryId())
                .bind("currency", r.amount().currency().getCurrencyCode()).bind("amount", r.amount().amount()).bind("rate", r.taxRate())
                .bind("tax", r.tax().amount()).bind("total", r.total().amount()).bind("after", r.balanceAfter().amount()).bind("at", Rows.utc(r.createdAt()))
                .execute();
    }

    @Override
    public Optional<Receipt> receipt(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM receipts WHERE tenant_id = :tenant AND id = :id").bind("tenant", tenantId).bind("id", id)
                .map(RECEIPT).findOne();
    }

    @Override
    public List<Receipt> receipts(String tenantId, String customerId, PageRequest page) {
        return tx.handle().createQuery("""
                        SELECT * FROM receipts WHERE tenant_id = :tenant AND (:customer IS NULL OR customer_id = :customer)
                          AND (:after IS NULL OR id < :after)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("after", page.startingAfter()).bind("limit", page.limit() + 1)
                .map(RECEIPT).list();
    }

    @Override
    public boolean markStatementSent(String tenantId, String customerId, LocalDate month, String emailId, Instant at) {
        return tx.handle().createUpdate("""
                        INSERT INTO wallet_statements (tenant_id, customer_id, month, email_id, created_at) VALUES (:tenant, :customer, :month, :email, :at)
                        ON CONFLICT DO NOTHING""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("month", month).bind("email", emailId).bind("at", Rows.utc(at))
                .execute() == 1;
    }

    @Override
    public BigDecimal owedOnInvoices(String tenantId, String customerId, LocalDate from, LocalDate to) {
        return tx.handle().createQuery("""
                        SELECT coalesce(sum(total), 0) FROM invoices
                        WHERE tenant_id = :tenant AND customer_id = :customer AND status = 'finalized' AND issue_date >= :from AND issue_date < :to""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("from", from).bind("to", to).mapTo(BigDecimal.class).one().stripTrailingZeros();
    }
}

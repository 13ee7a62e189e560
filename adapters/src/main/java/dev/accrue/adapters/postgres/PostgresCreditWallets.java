package dev.accrue.adapters.postgres;

import dev.accrue.app.creditwallet.CreditWallet;
import dev.accrue.app.creditwallet.CreditWalletEntry;
import dev.accrue.app.creditwallet.CreditWalletRepository;
import dev.accrue.app.creditwallet.CreditWalletTopUp;
import dev.accrue.core.money.Money;
import org.jdbi.v3.core.mapper.RowMapper;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public final class PostgresCreditWallets implements CreditWalletRepository {
    private static final RowMapper<CreditWallet> WALLET = (rs, ctx) -> {
        Array applies = rs.getArray("applies_to");
        return new CreditWallet(rs.getString("id"), rs.getString("customer_id"), rs.getString("name"), rs.getString("unit"),
                Money.currency(rs.getString("currency")), strip(rs.getBigDecimal("rate")), rs.getInt("priority"), rs.getBoolean("paid_first"),
                applies == null ? null : List.copyOf(Arrays.asList((String[]) applies.getArray())), strip(rs.getBigDecimal("recurring_credits")),
                rs.getBoolean("recurring_expires"), strip(rs.getBigDecimal("top_up_threshold")), strip(rs.getBigDecimal("top_up_target")),
                Rows.instant(rs, "created_at"));
    };
    private static final RowMapper<CreditWalletEntry> ENTRY = (rs, ctx) -> new CreditWalletEntry(rs.getString("id"), rs.getString("wallet_id"),
            rs.getString("customer_id"), rs.getString("kind"), rs.getString("lot_id"), strip(rs.getBigDecimal("credits")),
            Money.of(rs.getBigDecimal("amount"), rs.getString("currency")), Rows.instant(rs, "expires_at"), rs.getString("source_key"),
            rs.getString("description"), Rows.instant(rs, "effective_at"), Rows.instant(rs, "created_at"));
    private static final RowMapper<CreditWalletTopUp> TOP_UP = (rs, ctx) -> new CreditWalletTopUp(rs.getString("id"), rs.getString("wallet_id"),
            rs.getString("customer_id"), strip(rs.getBigDecimal("credits")), Money.of(rs.getBigDecimal("amount"), rs.getString("currency")),
            rs.getString("method_id"), rs.getString("status"), rs.getString("gateway_reference"), rs.getString("failure_code"),
            Rows.instant(rs, "requested_at"), Rows.instant(rs, "settled_at"));
    private final JdbiTransactions tx;

    public PostgresCreditWallets(JdbiTransactions tx) {
        this.tx = tx;
    }

    private static BigDecimal strip(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros();
    }

    @Override
    public void insert(String tenantId, CreditWallet w) {
        AbsentRows.adding(tx, AbsentRows.Table.CREDIT_WALLETS, tenantId, w.customerId());
        var insert = tx.handle().createUpdate("""
                        INSERT INTO credit_wallets (tenant_id, id, customer_id, name, unit, currency, rate, priority, paid_first, applies_to,
                                                    recurring_credits, recurring_expires, top_up_threshold, top_up_target, created_at)
                        VALUES (:tenant, :id, :customer, :name, :unit, :currency, :rate, :priority, :paidFirst, CAST(:applies AS text[]),
                                :recurring, :recurringExpires, :threshold, :target, :at)""")
                .bind("tenant", tenantId).bind("id", w.id()).bind("customer", w.customerId()).bind("name", w.name()).bind("unit", w.unit())
                .bind("currency", w.currency().getCurrencyCode()).bind("rate", w.rate()).bind("priority", w.priority()).bind("paidFirst", w.paidFirst())
                .bind("recurring", w.recurringCredits())
                .bind("recurringExpires", w.recurringExpires()).bind("threshold", w.topUpThreshold()).bind("target", w.topUpTarget())
                .bind("at", Rows.utc(w.createdAt()));
        if (w.appliesTo() == null) {
            insert.bindNull("applies", Types.ARRAY);
        } else {
            insert.bindArray("applies", String.class, w.appliesTo());
        }
        insert.execute();
    }

    @Override
    public List<CreditWallet> ofCustomer(String tenantId, String customerId) {
        if (AbsentRows.known(tx, AbsentRows.Table.CREDIT_WALLETS, tenantId, customerId)) {
            return List.of();
        }
        return tx.handle().createQuery("SELECT * FROM credit_wallets WHERE tenant_id = :tenant AND customer_id = :customer ORDER BY priority, created_at, id")
                .bind("tenant", tenantId).bind("customer", customerId).map(WALLET).list();
    }

    @Override
    public Optional<CreditWallet> find(String tenantId, String customerId, String walletId) {
        return tx.handle().createQuery("SELECT * FROM credit_wallets WHERE tenant_id = :tenant AND customer_id = :customer AND id = :id")
                .bind("tenant", tenantId).bind("customer", customerId).bind("id", walletId).map(WALLET).findOne();
    }

    @Override
    public void lock(String tenantId, String customerId) {
        tx.handle().createQuery("SELECT pg_advisory_xact_lock(hashtextextended('credit_wallets/' || :tenant || '/' || :customer, 0))")
                .bind("tenant", tenantId).bind("customer", customerId).mapToMap().one();
    }

    @Override
    public List<CreditWalletEntry> entries(String tenantId, String walletId) {
        return tx.handle().createQuery("""
                        SELECT e.*, w.currency FROM credit_wallet_entries e JOIN credit_wallets w ON w.tenant_id = e.tenant_id AND w.id = e.wallet_id
                        WHERE e.tenant_id = :tenant AND e.wallet_id = :wallet ORDER BY e.effective_at, e.created_at, e.id""")
                .bind("tenant", tenantId).bind("wallet", walletId).map(ENTRY).list();
    }

    @Override
    public boolean append(String tenantId, CreditWalletEntry e) {
        return tx.handle().createUpdate("""
                        INSERT INTO credit_wallet_entries (tenant_id, id, wallet_id, customer_id, kind, lot_id, credits, amount, expires_at, source_key,
                                                           description, effective_at, created_at)
                        VALUES (:tenant, :id, :wallet, :customer, :kind, :lot, :credits, :amount, :expires, :source, :description, :effective, :at)
                        ON CONFLICT (tenant_id, source_key) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", e.id()).bind("wallet", e.walletId()).bind("customer", e.customerId()).bind("kind", e.kind())
                .bind("lot", e.lotId()).bind("credits", e.credits()).bind("amount", e.amount().amount())
                .bind("expires", e.expiresAt() == null ? null : Rows.utc(e.expiresAt())).bind("source", e.sourceKey()).bind("description", e.description())
                .bind("effective", Rows.utc(e.effectiveAt())).bind("at", Rows.utc(e.createdAt())).execute() == 1;
    }

    @Override
    public boolean insertTopUp(String tenantId, CreditWalletTopUp t) {
        return tx.handle().createUpdate("""
                        INSERT INTO credit_wallet_top_ups (tenant_id, id, wallet_id, customer_id, credits, amount, currency, method_id, status, requested_at)
                        VALUES (:tenant, :id, :wallet, :customer, :credits, :amount, :currency, :method, 'pending', :at)
                        ON CONFLICT (tenant_id, wallet_id) WHERE status = 'pending' DO NOTHING""")
                .bind("tenant", tenantId).bind("id", t.id()).bind("wallet", t.walletId()).bind("customer", t.customerId()).bind("credits", t.credits())
                .bind("amount", t.amount().amount()).bind("currency", t.amount().currency().getCurrencyCode()).bind("method", t.methodId())
                .bind("at", Rows.utc(t.requestedAt())).execute() == 1;
    }

    @Override
    public List<CreditWalletTopUp> topUps(String tenantId, String walletId) {
        return tx.handle().createQuery("SELECT * FROM credit_wallet_top_ups WHERE tenant_id = :tenant AND wallet_id = :wallet ORDER BY requested_at, id")
                .bind("tenant", tenantId).bind("wallet", walletId).map(TOP_UP).list();
    }

    @Override
    public List<TenantTopUp> pendingTopUps(String clockTenant, String clockId, int limit) {
        return tx.handle().createQuery("""
                        SELECT t.* FROM credit_wallet_top_ups t JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
                        WHERE t.status = 'pending' AND (CAST(:clock AS text) IS NULL OR (t.tenant_id = :clockTenant AND c.test_clock_id = :clock))
                        ORDER BY t.requested_at, t.id LIMIT :limit""")
                .bind("clock", clockId).bind("clockTenant", clockTenant).bind("limit", limit)
                .map((rs, ctx) -> new TenantTopUp(rs.getString("tenant_id"), TOP_UP.map(rs, ctx))).list();
    }

    @Override
    public Optional<CreditWalletTopUp> findTopUp(String tenantId, String topUpId) {
        return tx.handle().createQuery("SELECT * FROM credit_wallet_top_ups WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", topUpId).map(TOP_UP).findOne();
    }

    @Override
    public Optional<CreditWalletTopUp> lockTopUp(String tenantId, String topUpId) {
        return tx.handle().createQuery("SELECT * FROM credit_wallet_top_ups WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", topUpId).map(TOP_UP).findOne();
    }

    @Override
    public void settleTopUp(String tenantId, String topUpId, String status, String gatewayReference, String failureCode, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE credit_wallet_top_ups SET status = :status, gateway_reference = :reference, failure_code = :code, settled_at = :at
                        WHERE tenant_id = :tenant AND id = :id AND status = 'pending'""")
                .bind("tenant", tenantId).bind("id", topUpId).bind("status", status).bind("reference", gatewayReference).bind("code", failureCode)
                .bind("at", Rows.utc(at)).execute();
    }

    @Override
    public Instant markTopUpSent(String tenantId, String topUpId, Instant at) {
        return tx.handle().createQuery("""
                        UPDATE credit_wallet_top_ups SET sent_at = coalesce(sent_at, :at) WHERE tenant_id = :tenant AND id = :id RETURNING sent_at""")
                .bind("tenant", tenantId).bind("id", topUpId).bind("at", Rows.utc(at)).map((rs, ctx) -> Rows.instant(rs, "sent_at")).one();
    }

    @Override
    public List<TenantCustomer> customersWithWallets(String clockTenant, String clockId, int limit, String afterCustomer) {
        return tx.handle().createQuery("""
                        SELECT w.tenant_id, w.customer_id FROM credit_wallets w
                        JOIN customers c ON c.tenant_id = w.tenant_id AND c.id = w.customer_id
                        WHERE (CAST(:clock AS text) IS NULL OR (w.tenant_id = :clockTenant AND c.test_clock_id = :clock))
                          AND w.tenant_id || '/' || w.customer_id > :after
                          AND (w.recurring_credits IS NOT NULL OR w.top_up_threshold IS NOT NULL
                               OR EXISTS (SELECT 1 FROM credit_wallet_entries e WHERE e.tenant_id = w.tenant_id AND e.wallet_id = w.id
                                          AND e.expires_at IS NOT NULL))
                        GROUP BY w.tenant_id, w.customer_id ORDER BY w.tenant_id || '/' || w.customer_id LIMIT :limit""")
                .bind("clock", clockId).bind("clockTenant", clockTenant).bind("after", afterCustomer).bind("limit", limit)
                .map((rs, ctx) -> new TenantCustomer(rs.getString("tenant_id"), rs.getString("customer_id"))).list();
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.credit.CreditEntry;
import dev.accrue.app.credit.CreditRepository;
import dev.accrue.core.money.Money;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;

public final class PostgresCredits implements CreditRepository {
    private static final RowMapper<CreditEntry> ENTRY = (rs, ctx) -> new CreditEntry(rs.getString("id"), rs.getString("customer_id"),
            Money.of(rs.getBigDecimal("amount"), rs.getString("currency")), rs.getString("kind"), rs.getString("source_id"),
            rs.getString("description"), Rows.instant(rs, "created_at"));
    private final JdbiTransactions tx;

    public PostgresCredits(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void lock(String tenantId, String customerId) {
        if (AbsentRows.known(tx, AbsentRows.Table.CREDIT_ENTRIES, tenantId, customerId)) {
            return; // no entries: nothing to consume, so no consumer to wait for
        }
        tx.handle().createQuery("SELECT pg_advisory_xact_lock(hashtextextended('customer_credit/' || :tenant || '/' || :customer, 0))")
                .bind("tenant", tenantId).bind("customer", customerId).mapToMap().one();
    }

    @Override
    public List<CreditEntry> entries(String tenantId, String customerId) {
        if (AbsentRows.known(tx, AbsentRows.Table.CREDIT_ENTRIES, tenantId, customerId)) {
            return List.of();
        }
        return tx.handle().createQuery("SELECT * FROM customer_credit_entries WHERE tenant_id = :tenant AND customer_id = :customer ORDER BY id")
                .bind("tenant", tenantId).bind("customer", customerId).map(ENTRY).list();
    }

    @Override
    public boolean append(String tenantId, CreditEntry e) {
        AbsentRows.adding(tx, AbsentRows.Table.CREDIT_ENTRIES, tenantId, e.customerId());
        return tx.handle().createUpdate("""
                        INSERT INTO customer_credit_entries (tenant_id, id, customer_id, currency, amount, kind, source_id, description, created_at)
                        VALUES (:tenant, :id, :customer, :currency, :amount, :kind, :source, :description, :at)
                        ON CONFLICT (tenant_id, kind, source_id) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", e.id()).bind("customer", e.customerId()).bind("currency", e.amount().currency().getCurrencyCode())
                .bind("amount", e.amount().amount()).bind("kind", e.kind()).bind("source", e.sourceId()).bind("description", e.description())
                .bind("at", Rows.utc(e.createdAt())).execute() == 1;
    }
}

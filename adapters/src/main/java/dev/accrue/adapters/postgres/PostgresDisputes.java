package dev.accrue.adapters.postgres;

import dev.accrue.app.page.PageRequest;
import dev.accrue.app.payment.Dispute;
import dev.accrue.app.payment.DisputeRepository;
import dev.accrue.core.money.Money;
import org.jdbi.v3.core.mapper.RowMapper;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

public final class PostgresDisputes implements DisputeRepository {
    private static final RowMapper<Dispute> DISPUTE = (rs, ctx) -> {
        String currency = rs.getString("currency").trim();
        return new Dispute(rs.getString("id"), rs.getString("payment_id"), rs.getString("customer_id"), rs.getString("invoice_id"), rs.getString("gateway"),
                rs.getString("gateway_reference"), Money.of(rs.getBigDecimal("amount").stripTrailingZeros(), currency),
                Money.of(rs.getBigDecimal("taken").stripTrailingZeros(), currency), rs.getString("reason"), rs.getString("status"),
                rs.getString("gateway_status"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), Rows.instant(rs, "closed_at"));
    };
    private final JdbiTransactions tx;

    public PostgresDisputes(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<Dispute> findByGatewayReference(String tenantId, String gateway, String gatewayReference) {
        return tx.handle().createQuery("SELECT * FROM disputes WHERE tenant_id = :tenant AND gateway = :gateway AND gateway_reference = :ref FOR UPDATE")
                .bind("tenant", tenantId).bind("gateway", gateway).bind("ref", gatewayReference).map(DISPUTE).findOne();
    }

    @Override
    public void insert(String tenantId, Dispute d) {
        tx.handle().createUpdate("""
                        INSERT INTO disputes (tenant_id, id, payment_id, customer_id, invoice_id, gateway, gateway_reference, currency, amount, taken, reason,
                            status, gateway_status, created_at, updated_at, closed_at)
                        VALUES (:tenant, :id, :payment, :customer, :invoice, :gateway, :ref, :currency, :amount, :taken, :reason, :status, :gatewayStatus,
                            :created, :updated, :closed)""")
                .bind("tenant", tenantId).bind("id", d.id()).bind("payment", d.paymentId()).bind("customer", d.customerId()).bind("invoice", d.invoiceId())
                .bind("gateway", d.gateway()).bind("ref", d.gatewayReference()).bind("currency", d.amount().currency().getCurrencyCode())
                .bind("amount", d.amount().amount()).bind("taken", d.taken().amount()).bind("reason", d.reason()).bind("status", d.status())
                .bind("gatewayStatus", d.gatewayStatus()).bind("created", Rows.utc(d.createdAt())).bind("updated", Rows.utc(d.updatedAt()))
                .bind("closed", d.closedAt() == null ? null : Rows.utc(d.closedAt())).execute();
    }

    @Override
    public void update(String tenantId, Dispute d) {
        tx.handle().createUpdate("""
                        UPDATE disputes SET amount = :amount, taken = :taken, reason = :reason, status = :status, gateway_status = :gatewayStatus,
                            updated_at = :updated, closed_at = :closed
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("amount", d.amount().amount()).bind("taken", d.taken().amount()).bind("reason", d.reason()).bind("status", d.status())
                .bind("gatewayStatus", d.gatewayStatus()).bind("updated", Rows.utc(d.updatedAt()))
                .bind("closed", d.closedAt() == null ? null : Rows.utc(d.closedAt())).bind("tenant", tenantId).bind("id", d.id()).execute();
    }

    @Override
    public List<Dispute> list(String tenantId, String customerId, String invoiceId, PageRequest page) {
        return tx.handle().createQuery("""
                        SELECT * FROM disputes WHERE tenant_id = :tenant AND (:after IS NULL OR id < :after)
                          AND (:customer IS NULL OR customer_id = :customer) AND (:invoice IS NULL OR invoice_id = :invoice)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("customer", customerId).bind("invoice", invoiceId)
                .bind("limit", page.limit() + 1).map(DISPUTE).list();
    }

    @Override
    public BigDecimal held(String tenantId, String paymentId) {
        return tx.handle().createQuery("""
                        SELECT coalesce(sum(amount), 0) FROM disputes WHERE tenant_id = :tenant AND payment_id = :payment AND status IN ('open', 'lost')""")
                .bind("tenant", tenantId).bind("payment", paymentId).mapTo(BigDecimal.class).one();
    }
}

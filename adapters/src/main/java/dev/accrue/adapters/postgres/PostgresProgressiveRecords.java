package dev.accrue.adapters.postgres;

import dev.accrue.app.billing.ProgressiveRecords;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

public final class PostgresProgressiveRecords implements ProgressiveRecords {
    private final JdbiTransactions tx;

    public PostgresProgressiveRecords(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public long lastLevel(String tenantId, String subscriptionId, String scopeKey) {
        return tx.handle().createQuery("""
                        SELECT coalesce(max(level), 0) FROM progressive_invoices
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND scope_key = :scope""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("scope", scopeKey).mapTo(Long.class).one();
    }

    @Override
    public Map<String, BigDecimal> billed(String tenantId, String subscriptionId, LocalDate periodStart) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        tx.handle().createQuery("""
                        SELECT charge_code, sum(amount) AS amount FROM progressive_invoices
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND period_start = :start GROUP BY charge_code ORDER BY charge_code""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("start", periodStart)
                .map((rs, ctx) -> Map.entry(rs.getString("charge_code"), rs.getBigDecimal("amount")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public BigDecimal usageInvoiced(String tenantId, String subscriptionId) {
        return tx.handle().createQuery("""
                        SELECT coalesce(sum(l.amount), 0) FROM invoices i
                        JOIN invoice_lines l ON l.tenant_id = i.tenant_id AND l.invoice_id = i.id
                        WHERE i.tenant_id = :tenant AND i.subscription_id = :sub AND i.status <> 'void' AND l.kind IN ('usage', 'adjustment')""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).mapTo(BigDecimal.class).one();
    }

    @Override
    public void record(String tenantId, String subscriptionId, String scopeKey, long level, LocalDate periodStart, Map<String, BigDecimal> perCharge,
                       String invoiceId, Instant at) {
        var batch = tx.handle().prepareBatch("""
                INSERT INTO progressive_invoices (tenant_id, subscription_id, scope_key, level, period_start, charge_code, amount, invoice_id, created_at)
                VALUES (:tenant, :sub, :scope, :level, :start, :charge, :amount, :invoice, :at)""");
        perCharge.forEach((charge, amount) -> batch.bind("tenant", tenantId).bind("sub", subscriptionId).bind("scope", scopeKey).bind("level", level)
                .bind("start", periodStart).bind("charge", charge).bind("amount", amount).bind("invoice", invoiceId).bind("at", Rows.utc(at)).add());
        batch.execute();
    }
}

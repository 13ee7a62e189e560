package dev.accrue.adapters.postgres;

import dev.accrue.app.id.Ids;
import dev.accrue.app.subscription.PendingItems;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.time.Instant;
import java.util.Currency;
import java.util.List;

public final class PostgresPendingItems implements PendingItems {
    private final JdbiTransactions tx;

    public PostgresPendingItems(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void add(String tenantId, String subscriptionId, String customerId, InvoiceLine line, Instant at) {
        AbsentRows.adding(tx, AbsentRows.Table.PENDING_ITEMS, tenantId, subscriptionId);
        tx.handle().createUpdate("""
                        INSERT INTO pending_items (tenant_id, id, subscription_id, customer_id, kind, charge_code, description, period_start,
                          period_end, quantity, unit_price, amount, created_at)
                        VALUES (:tenant, :id, :sub, :customer, :kind, :charge, :description, :ps, :pe, :quantity, :unit_price, :amount, :at)""")
                .bind("tenant", tenantId).bind("id", Ids.next("pit")).bind("sub", subscriptionId).bind("customer", customerId)
                .bind("kind", line.kind()).bind("charge", line.chargeCode()).bind("description", line.description())
                .bind("ps", line.servicePeriod() == null ? null : line.servicePeriod().start())
                .bind("pe", line.servicePeriod() == null ? null : line.servicePeriod().end())
                .bind("quantity", line.quantity()).bind("unit_price", line.unitPrice().amount()).bind("amount", line.amount().amount())
                .bind("at", Rows.utc(at)).execute();
    }

    @Override
    public List<InvoiceLine> open(String tenantId, String subscriptionId) {
        if (AbsentRows.known(tx, AbsentRows.Table.PENDING_ITEMS, tenantId, subscriptionId)) {
            return List.of();
        }
        return tx.handle().createQuery("""
                        SELECT p.*, c.currency FROM pending_items p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
                        WHERE p.tenant_id = :tenant AND p.subscription_id = :sub AND p.invoice_id IS NULL ORDER BY p.id FOR UPDATE OF p""")
                .bind("tenant", tenantId).bind("sub", subscriptionId)
                .map((rs, ctx) -> {
                    Currency currency = Currency.getInstance(rs.getString("currency"));
                    var ps = rs.getDate("period_start");
                    var pe = rs.getDate("period_end");
                    return new InvoiceLine(rs.getString("kind"), rs.getString("charge_code"), rs.getString("description"),
                            ps == null ? null : new Period(ps.toLocalDate(), pe.toLocalDate()), rs.getBigDecimal("quantity").stripTrailingZeros(),
                            new Money(rs.getBigDecimal("unit_price"), currency), new Money(rs.getBigDecimal("amount"), currency));
                }).list();
    }

    @Override
    public void attach(String tenantId, String subscriptionId, String invoiceId) {
        if (AbsentRows.known(tx, AbsentRows.Table.PENDING_ITEMS, tenantId, subscriptionId)) {
            return; // nothing parked: the update would match no row
        }
        tx.handle().createUpdate("UPDATE pending_items SET invoice_id = :invoice WHERE tenant_id = :tenant AND subscription_id = :sub AND invoice_id IS NULL")
                .bind("invoice", invoiceId).bind("tenant", tenantId).bind("sub", subscriptionId).execute();
    }
}

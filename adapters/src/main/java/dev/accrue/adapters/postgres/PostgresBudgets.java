package dev.accrue.adapters.postgres;

import dev.accrue.app.budget.Budget;
import dev.accrue.app.budget.BudgetPeriod;
import dev.accrue.app.budget.BudgetRepository;
import dev.accrue.core.money.Money;

import java.util.Collection;
import java.util.List;

public final class PostgresBudgets implements BudgetRepository {
    private final JdbiTransactions tx;

    public PostgresBudgets(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean insert(String tenantId, Budget b) {
        return tx.handle().createUpdate("""
                        INSERT INTO budgets (tenant_id, id, customer_id, dimension, dimension_value, amount, currency, alert_percents, created_at, period)
                        VALUES (:tenant, :id, :customer, :dimension, :value, :amount, :currency, CAST(:percents AS numeric[]), :at, :period)
                        ON CONFLICT (tenant_id, customer_id, dimension, dimension_value) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", b.id()).bind("customer", b.customerId()).bind("dimension", b.dimension())
                .bind("value", b.dimensionValue()).bind("amount", b.amount().amount()).bind("currency", b.amount().currency().getCurrencyCode())
                .bind("percents", PostgresAlerts.texts(b.alertPercents())).bind("at", Rows.utc(b.createdAt()))
                .bind("period", b.period().wire()).execute() == 1;
    }

    @Override
    public List<Budget> forCustomer(String tenantId, String customerId) {
        return forCustomers(tenantId, List.of(customerId));
    }

    @Override
    public List<Budget> forCustomers(String tenantId, Collection<String> customerIds) {
        // joined on the unnested ids, not "customer_id = ANY (:ids)" (see PostgresCustomers.clocks)
        return tx.handle().createQuery("""
                        SELECT b.* FROM unnest(CAST(:customers AS text[])) AS i(customer_id)
                        JOIN budgets b ON b.tenant_id = :tenant AND b.customer_id = i.customer_id
                        ORDER BY b.customer_id, b.dimension NULLS FIRST, b.dimension_value, b.id""")
                .bind("tenant", tenantId).bindArray("customers", String.class, List.copyOf(customerIds))
                .map((rs, ctx) -> {
                    String currency = rs.getString("currency");
                    Money amount = Money.of(rs.getBigDecimal("amount").setScale(Money.zero(currency).minorUnitDigits()), currency);
                    return new Budget(rs.getString("id"), rs.getString("customer_id"), rs.getString("dimension"), rs.getString("dimension_value"),
                            amount, PostgresAlerts.decimals(rs.getArray("alert_percents")), Rows.instant(rs, "created_at"),
                            BudgetPeriod.ofWire(rs.getString("period")).orElseThrow());
                }).list();
    }

    @Override
    public boolean delete(String tenantId, String customerId, String budgetId) {
        return tx.handle().createUpdate("DELETE FROM budgets WHERE tenant_id = :tenant AND customer_id = :customer AND id = :id")
                .bind("tenant", tenantId).bind("customer", customerId).bind("id", budgetId).execute() == 1;
    }
}

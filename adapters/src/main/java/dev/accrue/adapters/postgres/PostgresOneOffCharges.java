package dev.accrue.adapters.postgres;

import dev.accrue.app.oneoff.OneOffCharge;
import dev.accrue.app.oneoff.OneOffChargeRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.money.Money;
import dev.accrue.core.tax.TaxCategory;

import java.util.Currency;

public final class PostgresOneOffCharges implements OneOffChargeRepository {
    private final JdbiTransactions tx;

    public PostgresOneOffCharges(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, OneOffCharge c) {
        tx.handle().createUpdate("""
                        INSERT INTO one_off_charges (tenant_id, id, customer_id, subscription_id, description, quantity, unit_price, amount, currency,
                          tax_category, invoicing, invoice_id, service_date, created_at)
                        VALUES (:tenant, :id, :customer, :sub, :description, :quantity, :unit_price, :amount, :currency, :category, :invoicing,
                          :invoice, :service_date, :created)""")
                .bind("tenant", tenantId).bind("id", c.id()).bind("customer", c.customerId()).bind("sub", c.subscriptionId())
                .bind("description", c.description()).bind("quantity", c.quantity()).bind("unit_price", c.unitPrice().amount())
                .bind("amount", c.amount().amount()).bind("currency", c.amount().currency().getCurrencyCode())
                .bind("category", c.taxCategory().wire()).bind("invoicing", c.invoicing()).bind("invoice", c.invoiceId())
                .bind("service_date", c.serviceDate()).bind("created", Rows.utc(c.createdAt())).execute();
    }

    @Override
    public Page<OneOffCharge> list(String tenantId, String customerId, PageRequest page) {
        var rows = tx.handle().createQuery("""
                        SELECT * FROM one_off_charges WHERE tenant_id = :tenant AND customer_id = :customer AND (:after IS NULL OR id < :after)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("after", page.startingAfter()).bind("limit", page.limit() + 1)
                .map((rs, ctx) -> {
                    Currency currency = Currency.getInstance(rs.getString("currency").trim());
                    return new OneOffCharge(rs.getString("id"), rs.getString("customer_id"), rs.getString("subscription_id"),
                            rs.getString("description"), rs.getBigDecimal("quantity").stripTrailingZeros(),
                            new Money(rs.getBigDecimal("unit_price"), currency),
                            new Money(rs.getBigDecimal("amount"), currency),
                            TaxCategory.parse(rs.getString("tax_category")), rs.getString("invoicing"), rs.getString("invoice_id"),
                            rs.getDate("service_date").toLocalDate(), Rows.instant(rs, "created_at"));
                }).list();
        return Page.fromOverfetch(rows, page.limit());
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.addon.AddOnRepository;
import dev.accrue.app.addon.PurchasedAddOn;

import java.time.LocalDate;
import java.util.List;

public final class PostgresAddOns implements AddOnRepository {
    private final JdbiTransactions tx;

    public PostgresAddOns(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, PurchasedAddOn a) {
        AbsentRows.adding(tx, AbsentRows.Table.ADD_ONS, tenantId, a.subscriptionId());
        tx.handle().createUpdate("""
                        INSERT INTO subscription_add_ons (tenant_id, id, subscription_id, add_on_code, type, start_date, end_date, billed_through,
                                                          replaces_id, invoice_id, created_at)
                        VALUES (:tenant, :id, :sub, :code, :type, :start, :end, :billed, :replaces, :invoice, :at)""")
                .bind("tenant", tenantId).bind("id", a.id()).bind("sub", a.subscriptionId()).bind("code", a.addOnCode()).bind("type", a.type())
                .bind("start", a.startDate()).bind("end", a.endDate()).bind("billed", a.billedThrough()).bind("replaces", a.replacesId())
                .bind("invoice", a.invoiceId()).bind("at", Rows.utc(a.createdAt())).execute();
    }

    @Override
    public List<PurchasedAddOn> forSubscription(String tenantId, String subscriptionId) {
        if (AbsentRows.known(tx, AbsentRows.Table.ADD_ONS, tenantId, subscriptionId)) {
            return List.of();
        }
        // a usage view asks three times (its plan, its cost so far, its allowance sources): once per read-only transaction
        return tx.memoWhileReadOnly(new AddOnsOf(tenantId, subscriptionId), k -> List.copyOf(tx.handle()
                .createQuery("SELECT * FROM subscription_add_ons WHERE tenant_id = :tenant AND subscription_id = :sub ORDER BY id")
                .bind("tenant", tenantId).bind("sub", subscriptionId)
                .map((rs, ctx) -> new PurchasedAddOn(rs.getString("id"), rs.getString("subscription_id"), rs.getString("add_on_code"), rs.getString("type"),
                        rs.getObject("start_date", LocalDate.class), rs.getObject("end_date", LocalDate.class),
                        rs.getObject("billed_through", LocalDate.class), rs.getString("replaces_id"), rs.getString("invoice_id"),
                        Rows.instant(rs, "created_at")))
                .list()));
    }

    private record AddOnsOf(String tenantId, String subscriptionId) {
    }

    @Override
    public void setEnd(String tenantId, String id, LocalDate end) {
        tx.handle().createUpdate("UPDATE subscription_add_ons SET end_date = :end WHERE tenant_id = :tenant AND id = :id")
                .bind("end", end).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void setBilledThrough(String tenantId, String id, LocalDate billedThrough) {
        tx.handle().createUpdate("UPDATE subscription_add_ons SET billed_through = :billed WHERE tenant_id = :tenant AND id = :id")
                .bind("billed", billedThrough).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void setInvoice(String tenantId, String id, String invoiceId) {
        tx.handle().createUpdate("UPDATE subscription_add_ons SET invoice_id = :invoice WHERE tenant_id = :tenant AND id = :id")
                .bind("invoice", invoiceId).bind("tenant", tenantId).bind("id", id).execute();
    }
}

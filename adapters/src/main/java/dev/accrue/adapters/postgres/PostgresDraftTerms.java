package dev.accrue.adapters.postgres;

import dev.accrue.app.billing.DraftTermsRepository;
import dev.accrue.core.time.BillingInterval;

import java.util.Optional;

public final class PostgresDraftTerms implements DraftTermsRepository {
    private final JdbiTransactions tx;

    public PostgresDraftTerms(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void record(String tenantId, String invoiceId, Terms terms) {
        tx.handle().createUpdate("""
                        INSERT INTO invoice_draft_terms (tenant_id, invoice_id, catalog_version, plan_code, billing_interval, quantity)
                        VALUES (:tenant, :invoice, :version, :plan, :interval, :quantity) ON CONFLICT DO NOTHING""")
                .bind("tenant", tenantId).bind("invoice", invoiceId).bind("version", terms.catalogVersion()).bind("plan", terms.planCode())
                .bind("interval", terms.interval().wire()).bind("quantity", terms.quantity()).execute();
    }

    @Override
    public Optional<Terms> find(String tenantId, String invoiceId) {
        return tx.handle().createQuery("SELECT * FROM invoice_draft_terms WHERE tenant_id = :tenant AND invoice_id = :invoice")
                .bind("tenant", tenantId).bind("invoice", invoiceId)
                .map((rs, ctx) -> new Terms(rs.getInt("catalog_version"), rs.getString("plan_code"),
                        BillingInterval.fromWire(rs.getString("billing_interval")), rs.getInt("quantity")))
                .findOne();
    }
}

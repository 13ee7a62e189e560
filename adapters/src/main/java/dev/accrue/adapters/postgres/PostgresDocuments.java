package dev.accrue.adapters.postgres;

import dev.accrue.app.document.DocumentLinks;
import dev.accrue.app.document.InvoicePayments;

import dev.accrue.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Hosted-document links and invoice payment facts. */
public final class PostgresDocuments implements DocumentLinks, InvoicePayments {
    private final JdbiTransactions tx;

    public PostgresDocuments(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public String tokenFor(String tenantId, String objectType, String objectId, String candidate, Instant at) {
        tx.handle().createUpdate("""
                        INSERT INTO document_links (token, tenant_id, object_type, object_id, created_at) VALUES (:token, :tenant, :type, :object, :at)
                        ON CONFLICT (tenant_id, object_type, object_id) DO NOTHING""")
                .bind("token", candidate).bind("tenant", tenantId).bind("type", objectType).bind("object", objectId).bind("at", Rows.utc(at)).execute();
        return tx.handle().createQuery("SELECT token FROM document_links WHERE tenant_id = :tenant AND object_type = :type AND object_id = :object")
                .bind("tenant", tenantId).bind("type", objectType).bind("object", objectId).mapTo(String.class).one();
    }

    @Override
    public Optional<Link> find(String token) {
        return tx.handle().createQuery("SELECT tenant_id, object_type, object_id FROM document_links WHERE token = :token").bind("token", token)
                .map((rs, ctx) -> new Link(rs.getString("tenant_id"), rs.getString("object_type"), rs.getString("object_id"))).findOne();
    }

    @Override
    public Optional<Paid> find(String tenantId, String invoiceId) {
        return tx.handle().createQuery("SELECT paid_at, payment_reference FROM invoices WHERE tenant_id = :tenant AND id = :id AND paid_at IS NOT NULL")
                .bind("tenant", tenantId).bind("id", invoiceId)
                .map((rs, ctx) -> new Paid(Rows.instant(rs, "paid_at"), rs.getString("payment_reference"))).findOne();
    }

    @Override
    public List<Received> received(String tenantId, String invoiceId) {
        return tx.handle().createQuery("""
                        SELECT received_on, settled_at, method_kind, brand, last4, coalesce(reference, gateway_reference) AS ref, applied, currency
                        FROM payments WHERE tenant_id = :tenant AND invoice_id = :id AND status = 'succeeded' AND applied > 0
                        ORDER BY coalesce(received_on, settled_at::date), settled_at, id""")
                .bind("tenant", tenantId).bind("id", invoiceId)
                .map((rs, ctx) -> new Received(rs.getObject("received_on", LocalDate.class), Rows.instant(rs, "settled_at"),
                        rs.getString("brand") == null ? rs.getString("method_kind").replace('_', ' ') : rs.getString("brand") + " ···· " + rs.getString("last4"),
                        rs.getString("ref"), Money.of(rs.getBigDecimal("applied"), rs.getString("currency").trim()))).list();
    }

    @Override
    public void recordReference(String tenantId, String invoiceId, String reference) {
        tx.handle().createUpdate("UPDATE invoices SET payment_reference = :ref WHERE tenant_id = :tenant AND id = :id AND status = 'paid'")
                .bind("ref", reference).bind("tenant", tenantId).bind("id", invoiceId).execute();
    }
}

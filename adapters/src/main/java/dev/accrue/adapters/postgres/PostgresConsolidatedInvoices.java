package dev.accrue.adapters.postgres;

import dev.accrue.app.billing.ConsolidatedInvoiceRepository;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import org.jdbi.v3.core.Handle;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Consolidated invoices: drafts of a parent found by their billing key's prefix, sections appended to them (V400). */
public final class PostgresConsolidatedInvoices implements ConsolidatedInvoiceRepository {
    private final JdbiTransactions tx;
    private final InvoiceRepository invoices;

    public PostgresConsolidatedInvoices(JdbiTransactions tx) {
        this.tx = tx;
        this.invoices = new PostgresInvoices(tx);
    }

    @Override
    public void lockParent(String tenantId, String parentId) {
        tx.handle().createQuery("SELECT pg_advisory_xact_lock(hashtext('consolidated_invoice'), hashtext(:tenant || '/' || :parent))")
                .bind("tenant", tenantId).bind("parent", parentId).mapTo(String.class).one();
    }

    @Override
    public Optional<Invoice> openDraft(String tenantId, String parentId, LocalDate issueDate) {
        return tx.handle().createQuery("""
                        SELECT id FROM invoices WHERE tenant_id = :tenant AND customer_id = :parent AND status = 'draft'
                          AND starts_with(billing_key, :prefix) ORDER BY created_at DESC LIMIT 1 FOR UPDATE""")
                .bind("tenant", tenantId).bind("parent", parentId).bind("prefix", prefix(parentId, issueDate))
                .mapTo(String.class).findOne().flatMap(id -> invoices.find(tenantId, id));
    }

    @Override
    public int countFor(String tenantId, String parentId, LocalDate issueDate) {
        return tx.handle().createQuery("SELECT count(*) FROM invoices WHERE tenant_id = :tenant AND customer_id = :parent AND starts_with(billing_key, :prefix)")
                .bind("tenant", tenantId).bind("parent", parentId).bind("prefix", prefix(parentId, issueDate)).mapTo(Integer.class).one();
    }

    @Override
    public void addSection(String tenantId, String invoiceId, String billingKey, String customerId, String subscriptionId, List<InvoiceLine> lines,
                           Money subtotal, Money total, Period period) {
        Handle h = tx.handle();
        int last = h.createQuery("SELECT coalesce(max(line_no), 0) FROM invoice_lines WHERE tenant_id = :tenant AND invoice_id = :invoice")
                .bind("tenant", tenantId).bind("invoice", invoiceId).mapTo(Integer.class).one();
        h.createUpdate("""
                        INSERT INTO invoice_sections (tenant_id, billing_key, invoice_id, customer_id, subscription_id, first_line, last_line,
                          subtotal, total, created_at)
                        VALUES (:tenant, :key, :invoice, :customer, :sub, :first, :last, :subtotal, :total, clock_timestamp())""")
                .bind("tenant", tenantId).bind("key", billingKey).bind("invoice", invoiceId).bind("customer", customerId).bind("sub", subscriptionId)
                .bind("first", last + 1).bind("last", last + lines.size()).bind("subtotal", subtotal.amount()).bind("total", total.amount()).execute();
        AbsentRows.invoiced(tx, tenantId, billingKey);
        InvoiceWrites.insertLines(h, tenantId, invoiceId, last + 1, lines);
        h.createUpdate("""
                        UPDATE invoices SET subtotal = subtotal + :subtotal, total = total + :total,
                          period_start = least(period_start, CAST(:ps AS date)), period_end = greatest(period_end, CAST(:pe AS date))
                        WHERE tenant_id = :tenant AND id = :invoice AND status = 'draft'""")
                .bind("subtotal", subtotal.amount()).bind("total", total.amount())
                .bind("ps", period == null ? null : period.start()).bind("pe", period == null ? null : period.end())
                .bind("tenant", tenantId).bind("invoice", invoiceId).execute();
    }

    private static String prefix(String parentId, LocalDate issueDate) {
        return parentId + ":consolidated:" + issueDate + ":";
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.LineTax;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import org.jdbi.v3.core.Handle;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

public final class PostgresInvoices implements InvoiceRepository {
    private final JdbiTransactions tx;

    public PostgresInvoices(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean insert(String tenantId, Invoice i, Instant finalizeAfter) {
        InvoiceWrites.Row row = new InvoiceWrites.Row(tenantId, i, finalizeAfter);
        boolean finalized = i.status() == InvoiceStatus.FINALIZED;
        if (finalized && ClaimedBatch.active(tx)) {
            // a billing batch's final invoice: written with the batch's others when the transaction next speaks to the database.
            // Its number is taken and its subscription locked; should its billing key have been invoiced meanwhile (another
            // transaction that ignored the lock), the write fails the whole batch, which is then redone one subscription at a
            // time and finds the key billed — as the caller would have thrown on a false here.
            tx.<InvoiceWrites.Row>writeBehind(InvoiceWrites.class, PostgresInvoices::insertAll).add(row);
        } else if (InvoiceWrites.insert(tx.handle(), List.of(row)).isEmpty()) {
            return false;
        }
        AbsentRows.invoiced(tx, tenantId, i.billingKey());
        if (finalized) {
            FinalizedInvoices.countAfterCommit(tx.handle(), new FinalizedInvoices.Amount(i.total().currency().getCurrencyCode(), i.total().amount()));
        }
        return true;
    }

    @Override
    public boolean replaceDraft(String tenantId, Invoice draft) {
        Handle h = tx.handle();
        int updated = h.createUpdate("UPDATE invoices SET subtotal = :subtotal, total = :total WHERE tenant_id = :tenant AND id = :id AND status = 'draft'")
                .bind("subtotal", draft.subtotal().amount()).bind("total", draft.total().amount()).bind("tenant", tenantId).bind("id", draft.id())
                .execute();
        if (updated == 0) {
            return false;
        }
        h.createUpdate("DELETE FROM invoice_lines WHERE tenant_id = :tenant AND invoice_id = :id").bind("tenant", tenantId).bind("id", draft.id())
                .execute();
        InvoiceWrites.insertLines(h, tenantId, draft.id(), 1, draft.lines());
        return true;
    }

    private static void insertAll(Handle h, List<InvoiceWrites.Row> rows) {
        int written = InvoiceWrites.insert(h, rows).size();
        if (written != rows.size()) {
            throw new IllegalStateException((rows.size() - written) + " of the batch's " + rows.size()
                    + " billing keys were invoiced concurrently; the batch rolls back and is redone one subscription at a time");
        }
    }

    @Override
    public long nextNumber(String tenantId) {
        return GaplessCounters.next(tx, GaplessCounters.Series.INVOICE, tenantId);
    }

    @Override
    public void finalize(String tenantId, String invoiceId, String number, Instant at) {
        tx.handle().createUpdate("UPDATE invoices SET status = 'finalized', number = :number, finalized_at = :at WHERE tenant_id = :tenant AND id = :id AND status = 'draft'")
                .bind("number", number).bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", invoiceId)
                .executeAndReturnGeneratedKeys("currency", "total").map((rs, ctx) -> new FinalizedInvoices.Amount(rs.getString("currency"),
                        rs.getBigDecimal("total"))).findOne().ifPresent(amount -> FinalizedInvoices.countAfterCommit(tx.handle(), amount));
    }

    @Override
    public boolean lockDraft(String tenantId, String invoiceId) {
        return tx.handle().createQuery("SELECT status FROM invoices WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", invoiceId).mapTo(String.class).findOne().map("draft"::equals).orElse(false);
    }

    @Override
    public boolean billed(String tenantId, String billingKey) {
        Boolean known = AbsentRows.billed(tx, tenantId, billingKey);
        if (known != null) {
            return known;
        }
        // a consolidated child's period is billed as a section of its parent's invoice, under the same key
        return tx.handle().createQuery("""
                        SELECT EXISTS (SELECT 1 FROM invoices WHERE tenant_id = :tenant AND billing_key = :key)
                            OR EXISTS (SELECT 1 FROM invoice_sections WHERE tenant_id = :tenant AND billing_key = :key)""")
                .bind("tenant", tenantId).bind("key", billingKey).mapTo(Boolean.class).one();
    }

    @Override
    public long nextProformaNumber(String tenantId) {
        return GaplessCounters.next(tx, GaplessCounters.Series.PROFORMA, tenantId);
    }

    @Override
    public void numberProforma(String tenantId, String invoiceId, String number) {
        tx.handle().createUpdate("UPDATE invoices SET number = :number, proforma_number = :number WHERE tenant_id = :tenant AND id = :id AND status = 'proforma'")
                .bind("number", number).bind("tenant", tenantId).bind("id", invoiceId).execute();
    }

    @Override
    public boolean payProforma(String tenantId, String invoiceId, String number, LocalDate issueDate, Instant at) {
        return tx.handle().createUpdate("""
                        UPDATE invoices SET status = 'paid', number = :number, issue_date = :issue, due_date = :issue, finalized_at = :at, paid_at = :at
                        WHERE tenant_id = :tenant AND id = :id AND status = 'proforma'""")
                .bind("number", number).bind("issue", issueDate).bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", invoiceId)
                .executeAndReturnGeneratedKeys("currency", "total").map((rs, ctx) -> new FinalizedInvoices.Amount(rs.getString("currency"),
                        rs.getBigDecimal("total"))).findOne().map(amount -> {
                            FinalizedInvoices.countAfterCommit(tx.handle(), amount);
                            return true;
                        }).orElse(false);
    }

    @Override
    public boolean voidProforma(String tenantId, String invoiceId) {
        return tx.handle().createUpdate("UPDATE invoices SET status = 'void' WHERE tenant_id = :tenant AND id = :id AND status = 'proforma'")
                .bind("tenant", tenantId).bind("id", invoiceId).execute() == 1;
    }

    @Override
    public boolean settle(String tenantId, String invoiceId, String to, Instant at) {
        return tx.handle().createUpdate("UPDATE invoices SET status = :to, paid_at = CASE WHEN :to = 'paid' THEN :at END WHERE tenant_id = :tenant AND id = :id AND status = 'finalized'")
                .bind("to", to).bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", invoiceId).execute() == 1;
    }

    @Override
    public List<DueDraft> claimDraftsDue(Instant now, int limit) {
        List<DueDraft> due = tx.handle().createQuery("""
                        SELECT i.tenant_id, i.id FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
                        WHERE i.status = 'draft' AND i.finalize_after <= :now AND c.test_clock_id IS NULL
                        ORDER BY i.finalize_after LIMIT :limit FOR UPDATE OF i SKIP LOCKED""")
                .bind("now", Rows.utc(now)).bind("limit", limit)
                .map((rs, ctx) -> new DueDraft(rs.getString("tenant_id"), rs.getString("id"))).list();
        // each claimed draft is numbered: one range of numbers per tenant for the batch
        due.stream().collect(Collectors.groupingBy(DueDraft::tenantId, Collectors.counting()))
                .forEach((tenant, n) -> GaplessCounters.expect(tx, GaplessCounters.Series.INVOICE, tenant, n.intValue()));
        return due;
    }

    @Override
    public List<DueDraft> draftsDueOnTestClock(String tenantId, String testClockId, Instant clockTime) {
        return tx.handle().createQuery("""
                        SELECT i.tenant_id, i.id FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
                        WHERE i.tenant_id = :tenant AND c.test_clock_id = :clock AND i.status = 'draft' AND i.finalize_after <= :time
                        ORDER BY i.finalize_after FOR UPDATE OF i""")
                .bind("tenant", tenantId).bind("clock", testClockId).bind("time", Rows.utc(clockTime))
                .map((rs, ctx) -> new DueDraft(rs.getString("tenant_id"), rs.getString("id"))).list();
    }

    @Override
    public Optional<Invoice> find(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM invoices WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).map((rs, ctx) -> invoice(rs, List.of())).findOne()
                .map(i -> withLines(tenantId, i));
    }

    @Override
    public Page<Invoice> list(String tenantId, InvoiceQuery q, PageRequest page) {
        var rows = tx.handle().createQuery("""
                        SELECT * FROM invoices WHERE tenant_id = :tenant AND (:after IS NULL OR id < :after)
                          AND (:customer IS NULL OR customer_id = :customer) AND (:sub IS NULL OR subscription_id = :sub)
                          AND (:status IS NULL OR status = :status)
                          AND (CAST(:from AS date) IS NULL OR issue_date >= :from) AND (CAST(:to AS date) IS NULL OR issue_date < :to)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("customer", q.customerId()).bind("sub", q.subscriptionId())
                .bind("status", q.status()).bind("from", q.periodFrom()).bind("to", q.periodTo()).bind("limit", page.limit() + 1)
                .map((rs, ctx) -> invoice(rs, List.of())).list();
        return Page.fromOverfetch(rows.stream().map(i -> withLines(tenantId, i)).toList(), page.limit());
    }

    private Invoice withLines(String tenantId, Invoice i) {
        Currency currency = i.total().currency();
        List<InvoiceLine> lines = tx.handle().createQuery("SELECT * FROM invoice_lines WHERE tenant_id = :tenant AND invoice_id = :id ORDER BY line_no")
                .bind("tenant", tenantId).bind("id", i.id())
                .map((rs, ctx) -> new InvoiceLine(rs.getString("kind"), rs.getString("charge_code"), rs.getString("description"),
                        period(rs.getDate("period_start"), rs.getDate("period_end")), rs.getBigDecimal("quantity").stripTrailingZeros(),
                        new Money(rs.getBigDecimal("unit_price"), currency), new Money(rs.getBigDecimal("amount"), currency), lineTax(rs),
                        section(rs)))
                .list();
        return new Invoice(i.id(), i.customerId(), i.subscriptionId(), i.billingKey(), i.number(), i.status(), i.subtotal(), i.total(),
                i.issueDate(), i.dueDate(), i.periodStart(), i.periodEnd(), i.createdAt(), i.finalizedAt(), lines, i.proformaNumber(), i.amountPaid(), i.amountRefunded(), i.amountDisputed());
    }

    private static Invoice invoice(ResultSet rs, List<InvoiceLine> lines) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        return new Invoice(rs.getString("id"), rs.getString("customer_id"), rs.getString("subscription_id"), rs.getString("billing_key"),
                rs.getString("number"), InvoiceStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                new Money(rs.getBigDecimal("subtotal"), currency), new Money(rs.getBigDecimal("total"), currency),
                date(rs.getDate("issue_date")), date(rs.getDate("due_date")), date(rs.getDate("period_start")), date(rs.getDate("period_end")),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "finalized_at"), lines, rs.getString("proforma_number"),
                new Money(rs.getBigDecimal("amount_paid"), currency), new Money(rs.getBigDecimal("amount_refunded"), currency),
                new Money(rs.getBigDecimal("amount_disputed"), currency));
    }

    private static InvoiceLine.Section section(ResultSet rs) throws SQLException {
        String customer = rs.getString("section_customer_id");
        return customer == null ? null : new InvoiceLine.Section(customer, rs.getString("section_name"));
    }

    private static LineTax lineTax(ResultSet rs) throws SQLException {
        String category = rs.getString("vat_category");
        return category == null ? null : new LineTax((Integer) rs.getObject("tax_group"), category, rs.getString("tax_country"), rs.getString("tax_region"));
    }

    private static LocalDate date(Date d) {
        return d == null ? null : d.toLocalDate();
    }

    private static Period period(Date start, Date end) {
        return start == null || end == null ? null : new Period(start.toLocalDate(), end.toLocalDate());
    }
}

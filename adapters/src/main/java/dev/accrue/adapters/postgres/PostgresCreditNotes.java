package dev.accrue.adapters.postgres;

import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.creditnote.CreditNoteRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.money.Money;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

public final class PostgresCreditNotes implements CreditNoteRepository {
    private final JdbiTransactions tx;

    public PostgresCreditNotes(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<String> lockInvoice(String tenantId, String invoiceId) {
        return tx.handle().createQuery("SELECT status FROM invoices WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", invoiceId).mapTo(String.class).findOne();
    }

    @Override
    public long nextNumber(String tenantId) {
        return GaplessCounters.next(tx, GaplessCounters.Series.CREDIT_NOTE, tenantId);
    }

    @Override
    public void insert(String tenantId, CreditNote n) {
        Handle h = tx.handle();
        h.createUpdate("""
                        INSERT INTO credit_notes (tenant_id, id, number, invoice_id, customer_id, currency, total, reason, resolution, issue_date, created_at)
                        VALUES (:tenant, :id, :number, :invoice, :customer, :currency, :total, :reason, :resolution, :issue, :at)""")
                .bind("tenant", tenantId).bind("id", n.id()).bind("number", n.number()).bind("invoice", n.invoiceId())
                .bind("customer", n.customerId()).bind("currency", n.total().currency().getCurrencyCode()).bind("total", n.total().amount())
                .bind("reason", n.reason()).bind("resolution", n.resolution()).bind("issue", n.issueDate()).bind("at", Rows.utc(n.createdAt()))
                .execute();
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO credit_note_lines (tenant_id, credit_note_id, line_no, invoice_id, invoice_line_no, description, amount)
                VALUES (:tenant, :note, :no, :invoice, :invoice_line, :description, :amount)""");
        int no = 1;
        for (CreditNote.Line l : n.lines()) {
            batch.bind("tenant", tenantId).bind("note", n.id()).bind("no", no++).bind("invoice", n.invoiceId())
                    .bind("invoice_line", l.invoiceLine()).bind("description", l.description()).bind("amount", l.amount().amount()).add();
        }
        batch.execute();
    }

    private static final String SELECT = """
            SELECT n.*, i.number AS invoice_number FROM credit_notes n JOIN invoices i ON i.tenant_id = n.tenant_id AND i.id = n.invoice_id
            """;

    @Override
    public Optional<CreditNote> find(String tenantId, String id) {
        return tx.handle().createQuery(SELECT + " WHERE n.tenant_id = :tenant AND n.id = :id")
                .bind("tenant", tenantId).bind("id", id).map((rs, ctx) -> note(rs)).findOne().map(n -> withLines(tenantId, n));
    }

    @Override
    public List<CreditNote> ofInvoice(String tenantId, String invoiceId) {
        return tx.handle().createQuery(SELECT + " WHERE n.tenant_id = :tenant AND n.invoice_id = :invoice ORDER BY n.id")
                .bind("tenant", tenantId).bind("invoice", invoiceId).map((rs, ctx) -> note(rs)).list()
                .stream().map(n -> withLines(tenantId, n)).toList();
    }

    @Override
    public Page<CreditNote> list(String tenantId, String customerId, String invoiceId, PageRequest page) {
        var rows = tx.handle().createQuery(SELECT + """
                         WHERE n.tenant_id = :tenant AND (:after IS NULL OR n.id < :after)
                          AND (:customer IS NULL OR n.customer_id = :customer) AND (:invoice IS NULL OR n.invoice_id = :invoice)
                        ORDER BY n.id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("customer", customerId).bind("invoice", invoiceId)
                .bind("limit", page.limit() + 1).map((rs, ctx) -> note(rs)).list();
        return Page.fromOverfetch(rows.stream().map(n -> withLines(tenantId, n)).toList(), page.limit());
    }

    private CreditNote withLines(String tenantId, CreditNote n) {
        String currency = n.total().currency().getCurrencyCode();
        List<CreditNote.Line> lines = tx.handle().createQuery("""
                        SELECT * FROM credit_note_lines WHERE tenant_id = :tenant AND credit_note_id = :id ORDER BY line_no""")
                .bind("tenant", tenantId).bind("id", n.id())
                .map((rs, ctx) -> new CreditNote.Line((Integer) rs.getObject("invoice_line_no"), rs.getString("description"),
                        Money.of(rs.getBigDecimal("amount"), currency)))
                .list();
        return new CreditNote(n.id(), n.number(), n.invoiceId(), n.invoiceNumber(), n.customerId(), n.total(), n.reason(), n.resolution(),
                n.issueDate(), n.createdAt(), lines);
    }

    private static CreditNote note(ResultSet rs) throws SQLException {
        return new CreditNote(rs.getString("id"), rs.getString("number"), rs.getString("invoice_id"), rs.getString("invoice_number"),
                rs.getString("customer_id"), Money.of(rs.getBigDecimal("total"), rs.getString("currency")), rs.getString("reason"),
                rs.getString("resolution"), rs.getDate("issue_date").toLocalDate(), Rows.instant(rs, "created_at"), List.of());
    }
}

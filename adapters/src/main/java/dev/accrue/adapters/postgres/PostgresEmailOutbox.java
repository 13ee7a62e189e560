package dev.accrue.adapters.postgres;

import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

import java.time.Instant;
import java.util.Arrays;
import dev.accrue.app.page.PageRequest;

import java.util.List;
import java.util.Optional;

public final class PostgresEmailOutbox implements EmailOutbox {
    private static final RowMapper<OutboundEmail> EMAIL = (rs, ctx) -> new OutboundEmail(rs.getString("id"), rs.getString("customer_id"),
            Arrays.asList((String[]) rs.getArray("recipients").getArray()), rs.getString("subject"), rs.getString("body"), rs.getString("html_body"),
            rs.getString("template"), Arrays.asList((String[]) rs.getArray("attachments").getArray()), rs.getString("object_type"),
            rs.getString("object_id"), rs.getString("status"), rs.getInt("attempts"), rs.getString("last_error"), Rows.instant(rs, "created_at"),
            Rows.instant(rs, "next_attempt_at"), Rows.instant(rs, "sent_at"), rs.getString("resend_of"));
    private final JdbiTransactions tx;

    public PostgresEmailOutbox(JdbiTransactions tx) {
        this.tx = tx;
    }

    private static final String INSERT = """
            INSERT INTO outbound_emails (tenant_id, id, customer_id, recipients, subject, body, html_body, template, object_type, object_id,
                                         status, created_at, next_attempt_at, resend_of)
            VALUES (:tenant, :id, :customer, :to, :subject, :body, :html, :template, :type, :object, 'queued', :at, :at, :resendOf)""";

    @Override
    public void enqueue(String tenantId, OutboundEmail e) {
        bind(tx.handle().createUpdate(INSERT), tenantId, e).execute();
    }

    @Override
    public void enqueueAll(String tenantId, List<OutboundEmail> emails) {
        if (emails.isEmpty()) {
            return;
        }
        PreparedBatch batch = tx.handle().prepareBatch(INSERT);
        for (OutboundEmail e : emails) {
            bind(batch, tenantId, e).add();
        }
        batch.execute();
    }

    private static <T extends SqlStatement<T>> T bind(T statement, String tenantId, OutboundEmail e) {
        return statement.bind("tenant", tenantId).bind("id", e.id()).bind("customer", e.customerId()).bind("to", e.recipients().toArray(String[]::new))
                .bind("subject", e.subject()).bind("body", e.body()).bind("html", e.htmlBody()).bind("template", e.template())
                .bind("type", e.objectType()).bind("object", e.objectId()).bind("at", Rows.utc(e.createdAt())).bind("resendOf", e.resendOf());
    }

    @Override
    public List<Queued> claimDue(Instant now, int limit) {
        return tx.handle().createQuery("""
                        SELECT * FROM outbound_emails WHERE status = 'queued' AND next_attempt_at <= :now
                        ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED""")
                .bind("now", Rows.utc(now)).bind("limit", limit).map((rs, ctx) -> new Queued(rs.getString("tenant_id"), EMAIL.map(rs, ctx))).list();
    }

    @Override
    public void storeRendered(String tenantId, String id, String subject, String text, String html, List<String> attachments) {
        tx.handle().createUpdate("""
                        UPDATE outbound_emails SET subject = :subject, body = :text, html_body = :html, attachments = :attachments
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("subject", subject).bind("text", text).bind("html", html).bind("attachments", attachments.toArray(String[]::new))
                .bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void markSent(String tenantId, String id, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE outbound_emails SET status = 'sent', attempts = attempts + 1, sent_at = :at, next_attempt_at = NULL
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void lease(String tenantId, String id, Instant until) {
        tx.handle().createUpdate("UPDATE outbound_emails SET next_attempt_at = :until WHERE tenant_id = :tenant AND id = :id AND status = 'queued'")
                .bind("until", Rows.utc(until)).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public long queued() {
        return tx.handle().createQuery("SELECT count(*) FROM outbound_emails WHERE status = 'queued'").mapTo(Long.class).one();
    }

    @Override
    public void markAttemptFailed(String tenantId, String id, String error, boolean giveUp, Instant nextAttemptAt) {
        tx.handle().createUpdate("""
                        UPDATE outbound_emails SET attempts = attempts + 1, last_error = :error,
                               status = CASE WHEN :giveUp THEN 'failed' ELSE status END,
                               next_attempt_at = CASE WHEN :giveUp THEN NULL ELSE :next END
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("error", error).bind("giveUp", giveUp).bind("next", Rows.utc(nextAttemptAt)).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void logAttempt(String tenantId, String id, int attempt, Instant at, boolean sent, String detail) {
        tx.handle().createUpdate("""
                        INSERT INTO email_attempts (tenant_id, email_id, attempt, at, outcome, detail) VALUES (:tenant, :id, :attempt, :at, :outcome, :detail)""")
                .bind("tenant", tenantId).bind("id", id).bind("attempt", attempt).bind("at", Rows.utc(at)).bind("outcome", sent ? "sent" : "failed")
                .bind("detail", detail).execute();
    }

    @Override
    public List<Attempt> attempts(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM email_attempts WHERE tenant_id = :tenant AND email_id = :id ORDER BY attempt")
                .bind("tenant", tenantId).bind("id", id)
                .map((rs, ctx) -> new Attempt(rs.getInt("attempt"), Rows.instant(rs, "at"), rs.getString("outcome"), rs.getString("detail"))).list();
    }

    @Override
    public Optional<OutboundEmail> find(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM outbound_emails WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).map(EMAIL).findOne();
    }

    @Override
    public List<OutboundEmail> list(String tenantId, String customerId, String objectId, PageRequest page) {
        return tx.handle().createQuery("""
                        SELECT * FROM outbound_emails WHERE tenant_id = :tenant AND (:customer IS NULL OR customer_id = :customer)
                          AND (:object IS NULL OR object_id = :object) AND (:after IS NULL OR id < :after)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("object", objectId)
                .bind("after", page.startingAfter()).bind("limit", page.limit() + 1).map(EMAIL).list();
    }
}

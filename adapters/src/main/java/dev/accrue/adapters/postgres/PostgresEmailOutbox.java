package dev.accrue.adapters.postgres;

import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Arrays;
import dev.accrue.app.page.PageRequest;

import java.util.List;

public final class PostgresEmailOutbox implements EmailOutbox {
    private static final RowMapper<OutboundEmail> EMAIL = (rs, ctx) -> new OutboundEmail(rs.getString("id"), rs.getString("customer_id"),
            Arrays.asList((String[]) rs.getArray("recipients").getArray()), rs.getString("subject"), rs.getString("body"), rs.getString("object_type"),
            rs.getString("object_id"), rs.getString("status"), rs.getInt("attempts"), rs.getString("last_error"), Rows.instant(rs, "created_at"),
            Rows.instant(rs, "sent_at"));
    private final JdbiTransactions tx;

    public PostgresEmailOutbox(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void enqueue(String tenantId, OutboundEmail e) {
        tx.handle().createUpdate("""
                        INSERT INTO outbound_emails (tenant_id, id, customer_id, recipients, subject, body, object_type, object_id, status, created_at)
                        VALUES (:tenant, :id, :customer, :to, :subject, :body, :type, :object, 'queued', :at)""")
                .bind("tenant", tenantId).bind("id", e.id()).bind("customer", e.customerId()).bind("to", e.recipients().toArray(String[]::new))
                .bind("subject", e.subject()).bind("body", e.body()).bind("type", e.objectType()).bind("object", e.objectId())
                .bind("at", Rows.utc(e.createdAt())).execute();
    }

    @Override
    public List<Queued> claimQueued(int limit) {
        return tx.handle().createQuery("""
                        SELECT * FROM outbound_emails WHERE status = 'queued' ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED""")
                .bind("limit", limit).map((rs, ctx) -> new Queued(rs.getString("tenant_id"), EMAIL.map(rs, ctx))).list();
    }

    @Override
    public void markSent(String tenantId, String id, Instant at) {
        tx.handle().createUpdate("UPDATE outbound_emails SET status = 'sent', attempts = attempts + 1, sent_at = :at WHERE tenant_id = :tenant AND id = :id")
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void markAttemptFailed(String tenantId, String id, String error, boolean giveUp) {
        tx.handle().createUpdate("""
                        UPDATE outbound_emails SET attempts = attempts + 1, last_error = :error, status = CASE WHEN :giveUp THEN 'failed' ELSE status END
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("error", error).bind("giveUp", giveUp).bind("tenant", tenantId).bind("id", id).execute();
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

package dev.accrue.adapters.postgres;

import dev.accrue.app.document.EmailTemplate;
import dev.accrue.app.document.EmailTemplateRepository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** One row per tenant and kind of document email the tenant worded (V230). */
public final class PostgresEmailTemplates implements EmailTemplateRepository {
    private final JdbiTransactions tx;

    public PostgresEmailTemplates(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<EmailTemplate> find(String tenantId, String kind) {
        return tx.handle().createQuery("SELECT kind, subject, intro FROM email_templates WHERE tenant_id = :tenant AND kind = :kind")
                .bind("tenant", tenantId).bind("kind", kind)
                .map((rs, ctx) -> new EmailTemplate(rs.getString("kind"), rs.getString("subject"), rs.getString("intro")))
                .findOne();
    }

    @Override
    public void save(String tenantId, EmailTemplate t, Instant now) {
        tx.handle().createUpdate("""
                        INSERT INTO email_templates (tenant_id, kind, subject, intro, updated_at) VALUES (:tenant, :kind, :subject, :intro, :now)
                        ON CONFLICT (tenant_id, kind) DO UPDATE SET subject = excluded.subject, intro = excluded.intro, updated_at = excluded.updated_at""")
                .bind("tenant", tenantId).bind("kind", t.kind()).bind("subject", t.subject()).bind("intro", t.intro())
                .bind("now", Timestamp.from(now)).execute();
    }
}

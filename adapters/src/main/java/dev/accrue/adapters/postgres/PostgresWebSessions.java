package dev.accrue.adapters.postgres;

import dev.accrue.app.web.WebSession;
import dev.accrue.app.web.WebSessionRepository;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Optional;

public final class PostgresWebSessions implements WebSessionRepository {
    private static final RowMapper<WebSession> SESSION = (rs, ctx) -> new WebSession(rs.getString("tenant_id"), rs.getString("kind"),
            rs.getString("subject_id"), rs.getString("email"), rs.getString("role"), rs.getString("csrf_token"), rs.getString("locale"),
            rs.getString("return_url"), Rows.instant(rs, "expires_at"));
    private final JdbiTransactions tx;

    public PostgresWebSessions(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(byte[] tokenHash, WebSession s, Instant createdAt) {
        tx.handle().createUpdate("""
                        INSERT INTO web_sessions (token_hash, tenant_id, kind, subject_id, email, role, csrf_token, locale, return_url, expires_at, created_at)
                        VALUES (:hash, :tenantId, :kind, :subjectId, :email, :role, :csrfToken, :locale, :returnUrl, :expires, :created)""")
                .bind("hash", tokenHash).bindMethods(s).bind("expires", Rows.utc(s.expiresAt())).bind("created", Rows.utc(createdAt)).execute();
    }

    @Override
    public Optional<WebSession> findLive(byte[] tokenHash, String kind, Instant now) {
        return tx.handle().createQuery("SELECT * FROM web_sessions WHERE token_hash = :hash AND kind = :kind AND expires_at > :now")
                .bind("hash", tokenHash).bind("kind", kind).bind("now", Rows.utc(now)).map(SESSION).findOne();
    }

    @Override
    public void delete(byte[] tokenHash) {
        tx.handle().createUpdate("DELETE FROM web_sessions WHERE token_hash = :hash").bind("hash", tokenHash).execute();
    }

    @Override
    public int deleteForSubject(String tenantId, String kind, String subjectId) {
        return tx.handle().createUpdate("DELETE FROM web_sessions WHERE tenant_id = :tenant AND kind = :kind AND subject_id = :subject")
                .bind("tenant", tenantId).bind("kind", kind).bind("subject", subjectId).execute();
    }

    @Override
    public int deleteExpired(Instant now) {
        return tx.handle().createUpdate("DELETE FROM web_sessions WHERE expires_at <= :now").bind("now", Rows.utc(now)).execute();
    }
}

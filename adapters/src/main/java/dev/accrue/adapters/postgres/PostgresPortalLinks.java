package dev.accrue.adapters.postgres;

import dev.accrue.app.portal.PortalLink;
import dev.accrue.app.portal.PortalLinkRepository;
import dev.accrue.app.portal.PortalRole;

import java.time.Instant;
import java.util.Optional;

public final class PostgresPortalLinks implements PortalLinkRepository {
    private final JdbiTransactions tx;

    public PostgresPortalLinks(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, PortalLink link, byte[] tokenHash, String createdBy, Instant createdAt) {
        tx.handle().createUpdate("""
                        INSERT INTO portal_links (tenant_id, id, customer_id, email, role, return_url, locale, token_hash, expires_at, created_by, created_at)
                        VALUES (:tenant, :id, :customerId, :email, :role, :returnUrl, :locale, :hash, :expires, :by, :created)""")
                .bind("tenant", tenantId).bind("id", link.id()).bind("customerId", link.customerId()).bind("email", link.email())
                .bind("role", link.role().wire()).bind("returnUrl", link.returnUrl()).bind("locale", link.locale()).bind("hash", tokenHash)
                .bind("expires", Rows.utc(link.expiresAt())).bind("by", createdBy).bind("created", Rows.utc(createdAt)).execute();
    }

    @Override
    public Optional<PortalLink> consume(byte[] tokenHash, Instant now) {
        return tx.handle().createQuery("""
                        UPDATE portal_links SET used_at = :now
                        WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
                        RETURNING tenant_id, id, customer_id, email, role, return_url, locale, expires_at""")
                .bind("hash", tokenHash).bind("now", Rows.utc(now))
                .map((rs, ctx) -> new PortalLink(rs.getString("tenant_id"), rs.getString("id"), rs.getString("customer_id"), rs.getString("email"),
                        PortalRole.fromWire(rs.getString("role")), rs.getString("return_url"), rs.getString("locale"), Rows.instant(rs, "expires_at")))
                .findOne();
    }

    @Override
    public Optional<String> localeOf(byte[] tokenHash) {
        return tx.handle().createQuery("SELECT locale FROM portal_links WHERE token_hash = :hash AND locale IS NOT NULL")
                .bind("hash", tokenHash).mapTo(String.class).findOne();
    }
}

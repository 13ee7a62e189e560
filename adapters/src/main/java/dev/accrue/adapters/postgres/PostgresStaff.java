package dev.accrue.adapters.postgres;

import dev.accrue.app.console.StaffRepository;
import dev.accrue.app.console.StaffRole;
import dev.accrue.app.console.StaffUser;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class PostgresStaff implements StaffRepository {
    private static final RowMapper<StaffUser> USER = (rs, ctx) -> new StaffUser(rs.getString("tenant_id"), rs.getString("id"), rs.getString("email"),
            rs.getString("name"), StaffRole.fromWire(rs.getString("role")), Rows.instant(rs, "created_at"), Rows.instant(rs, "deactivated_at"));
    private final JdbiTransactions tx;

    public PostgresStaff(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean insert(StaffUser u, String passwordHash) {
        return tx.handle().createUpdate("""
                        INSERT INTO staff_users (tenant_id, id, email, name, role, password_hash, created_at)
                        VALUES (:tenant, :id, :email, :name, :role, :hash, :created)
                        ON CONFLICT ((lower(email))) DO NOTHING""")
                .bind("tenant", u.tenantId()).bind("id", u.id()).bind("email", u.email()).bind("name", u.name()).bind("role", u.role().wire())
                .bind("hash", passwordHash).bind("created", Rows.utc(u.createdAt())).execute() == 1;
    }

    @Override
    public Optional<WithHash> findByEmail(String email) {
        return tx.handle().createQuery("SELECT * FROM staff_users WHERE lower(email) = lower(:email) AND deactivated_at IS NULL").bind("email", email)
                .map((rs, ctx) -> new WithHash(USER.map(rs, ctx), rs.getString("password_hash"))).findOne();
    }

    @Override
    public Optional<StaffUser> find(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM staff_users WHERE tenant_id = :tenant AND id = :id").bind("tenant", tenantId).bind("id", id)
                .map(USER).findOne();
    }

    @Override
    public void lockTenantStaff(String tenantId) {
        tx.handle().createQuery("SELECT id FROM staff_users WHERE tenant_id = :tenant ORDER BY id FOR UPDATE").bind("tenant", tenantId)
                .mapTo(String.class).list();
    }

    @Override
    public void updateRole(String tenantId, String id, StaffRole role) {
        tx.handle().createUpdate("UPDATE staff_users SET role = :role WHERE tenant_id = :tenant AND id = :id").bind("role", role.wire())
                .bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void deactivate(String tenantId, String id, Instant at) {
        tx.handle().createUpdate("UPDATE staff_users SET deactivated_at = :at WHERE tenant_id = :tenant AND id = :id AND deactivated_at IS NULL")
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public List<StaffUser> list(String tenantId) {
        return tx.handle().createQuery("SELECT * FROM staff_users WHERE tenant_id = :tenant ORDER BY email").bind("tenant", tenantId).map(USER).list();
    }

    @Override
    public Optional<Failures> failures(String email) {
        return tx.handle().createQuery("SELECT * FROM login_failures WHERE email = :email").bind("email", email)
                .map((rs, ctx) -> new Failures(rs.getInt("failures"), Rows.instant(rs, "window_start"), Rows.instant(rs, "locked_until"))).findOne();
    }

    @Override
    public void saveFailures(String email, Failures f) {
        tx.handle().createUpdate("""
                        INSERT INTO login_failures (email, failures, window_start, locked_until) VALUES (:email, :count, :start, :locked)
                        ON CONFLICT (email) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
                            locked_until = excluded.locked_until""")
                .bind("email", email).bind("count", f.count()).bind("start", Rows.utc(f.windowStart()))
                .bind("locked", f.lockedUntil() == null ? null : Rows.utc(f.lockedUntil())).execute();
    }

    @Override
    public void clearFailures(String email) {
        tx.handle().createUpdate("DELETE FROM login_failures WHERE email = :email").bind("email", email).execute();
    }

    @Override
    public void reactivate(String tenantId, String id) {
        tx.handle().createUpdate("UPDATE staff_users SET deactivated_at = NULL WHERE tenant_id = :tenant AND id = :id").bind("tenant", tenantId)
                .bind("id", id).execute();
    }

    @Override
    public void updatePassword(String tenantId, String id, String passwordHash) {
        tx.handle().createUpdate("UPDATE staff_users SET password_hash = :hash WHERE tenant_id = :tenant AND id = :id").bind("hash", passwordHash)
                .bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void insertReset(String tenantId, String staffId, byte[] tokenHash, Instant createdAt, Instant expiresAt) {
        tx.handle().createUpdate("""
                        INSERT INTO staff_password_resets (token_hash, tenant_id, staff_id, created_at, expires_at)
                        VALUES (:hash, :tenant, :staff, :created, :expires)""")
                .bind("hash", tokenHash).bind("tenant", tenantId).bind("staff", staffId).bind("created", Rows.utc(createdAt))
                .bind("expires", Rows.utc(expiresAt)).execute();
    }

    @Override
    public int resetsSince(String tenantId, String staffId, Instant since) {
        return tx.handle().createQuery("""
                        SELECT count(*) FROM staff_password_resets WHERE tenant_id = :tenant AND staff_id = :staff AND created_at >= :since""")
                .bind("tenant", tenantId).bind("staff", staffId).bind("since", Rows.utc(since)).mapTo(Integer.class).one();
    }

    @Override
    public Optional<StaffUser> redeemReset(byte[] tokenHash, Instant now) {
        return tx.handle().createQuery("""
                        UPDATE staff_password_resets r SET used_at = :now
                        FROM staff_users u
                        WHERE r.token_hash = :hash AND r.used_at IS NULL AND r.expires_at > :now
                          AND u.tenant_id = r.tenant_id AND u.id = r.staff_id AND u.deactivated_at IS NULL
                        RETURNING u.*""")
                .bind("hash", tokenHash).bind("now", Rows.utc(now)).map(USER).findOne();
    }

    @Override
    public void retireResets(String tenantId, String staffId, Instant now) {
        tx.handle().createUpdate("""
                        UPDATE staff_password_resets SET used_at = :now WHERE tenant_id = :tenant AND staff_id = :staff AND used_at IS NULL""")
                .bind("now", Rows.utc(now)).bind("tenant", tenantId).bind("staff", staffId).execute();
    }
}

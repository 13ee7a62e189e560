package dev.accrue.adapters.postgres;

import dev.accrue.app.auth.Role;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tenant.ApiKey;
import dev.accrue.app.tenant.ApiKeyRepository;
import org.jdbi.v3.core.mapper.RowMapper;

import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class PostgresApiKeys implements ApiKeyRepository {
    private static final RowMapper<ApiKey> MAPPER = (rs, ctx) -> new ApiKey(rs.getString("id"), rs.getString("tenant_id"),
            rs.getString("name"), Role.fromWire(rs.getString("role")), rs.getString("display_prefix"),
            Rows.instant(rs, "created_at"), Rows.instant(rs, "revoked_at"));
    private final JdbiTransactions tx;

    public PostgresApiKeys(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(ApiKey k, String secretHash) {
        tx.handle().createUpdate("""
                        INSERT INTO api_keys (tenant_id, id, name, role, display_prefix, secret_sha256, created_at)
                        VALUES (:tenant, :id, :name, :role, :prefix, :hash, :at)""")
                .bind("tenant", k.tenantId()).bind("id", k.id()).bind("name", k.name()).bind("role", k.role().wire())
                .bind("prefix", k.displayPrefix()).bind("hash", secretHash).bind("at", Rows.utc(k.createdAt()))
                .execute();
    }

    @Override
    public Optional<ApiKey> findBySecretHash(String secretHash) {
        // every authenticated request runs this: plain JDBC, without JDBI's per-statement machinery
        try (PreparedStatement ps = tx.handle().getConnection().prepareStatement("SELECT * FROM api_keys WHERE secret_sha256 = ?")) {
            ps.setString(1, secretHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(MAPPER.map(rs, null)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    @Override
    public Optional<ApiKey> find(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM api_keys WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Page<ApiKey> list(String tenantId, PageRequest page) {
        var rows = tx.handle().createQuery("""
                        SELECT * FROM api_keys WHERE tenant_id = :tenant AND (:after IS NULL OR id < :after)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("limit", page.limit() + 1)
                .map(MAPPER).list();
        return Page.fromOverfetch(rows, page.limit());
    }

    @Override
    public boolean revoke(String tenantId, String id, Instant at) {
        return tx.handle().createUpdate("UPDATE api_keys SET revoked_at = :at WHERE tenant_id = :tenant AND id = :id AND revoked_at IS NULL")
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute() == 1;
    }
}

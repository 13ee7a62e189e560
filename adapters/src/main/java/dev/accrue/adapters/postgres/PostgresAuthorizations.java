package dev.accrue.adapters.postgres;

import dev.accrue.app.authorization.Authorization;
import dev.accrue.app.authorization.AuthorizationRepository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

public final class PostgresAuthorizations implements AuthorizationRepository {
    private final JdbiTransactions tx;

    public PostgresAuthorizations(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, Authorization a) {
        tx.handle().createUpdate("""
                        INSERT INTO authorizations (tenant_id, id, subscription_id, customer_id, metric, reserved, status, expires_at, created_at)
                        VALUES (:tenant, :id, :sub, :customer, :metric, :reserved, 'held', :expires, :at)""")
                .bind("tenant", tenantId).bind("id", a.id()).bind("sub", a.subscriptionId()).bind("customer", a.customerId())
                .bind("metric", a.metric()).bind("reserved", a.reserved()).bind("expires", Rows.utc(a.expiresAt())).bind("at", Rows.utc(a.createdAt()))
                .execute();
    }

    @Override
    public BigDecimal held(String tenantId, String subscriptionId, String metric, Instant now) {
        return tx.handle().createQuery("""
                        SELECT coalesce(sum(reserved), 0) FROM authorizations
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND status = 'held' AND expires_at > :now""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("now", Rows.utc(now))
                .mapTo(BigDecimal.class).one().stripTrailingZeros();
    }

    @Override
    public Balance balance(String tenantId, String subscriptionId, String metric, java.time.LocalDate from, java.time.LocalDate to, Instant now) {
        return tx.handle().createQuery("""
                        SELECT (SELECT coalesce(sum(quantity), 0) FROM usage_daily
                                WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day >= :from AND day < :to) AS used,
                               (SELECT coalesce(sum(reserved), 0) FROM authorizations
                                WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND status = 'held' AND expires_at > :now) AS held""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("from", from).bind("to", to).bind("now", Rows.utc(now))
                .map((rs, ctx) -> new Balance(rs.getBigDecimal("used").stripTrailingZeros(), rs.getBigDecimal("held").stripTrailingZeros()))
                .one();
    }

    @Override
    public Optional<Authorization> findForUpdate(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM authorizations WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", id)
                .map((rs, ctx) -> new Authorization(rs.getString("id"), rs.getString("subscription_id"), rs.getString("customer_id"),
                        rs.getString("metric"), rs.getBigDecimal("reserved"), rs.getString("status"), rs.getBigDecimal("committed"),
                        Rows.instant(rs, "expires_at"), Rows.instant(rs, "created_at")))
                .findOne();
    }

    @Override
    public void settle(String tenantId, String id, String status, BigDecimal committed, Instant at) {
        tx.handle().createUpdate("UPDATE authorizations SET status = :status, committed = :committed, settled_at = :at WHERE tenant_id = :tenant AND id = :id")
                .bind("status", status).bind("committed", committed).bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute();
    }
}

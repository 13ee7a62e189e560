package dev.accrue.adapters.postgres;

import dev.accrue.app.pricechange.PriceMigration;
import dev.accrue.app.pricechange.PriceMigrationRepository;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class PostgresPriceMigrations implements PriceMigrationRepository {
    private final JdbiTransactions tx;

    public PostgresPriceMigrations(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean exists(String tenantId, String planCode, int catalogVersion) {
        return tx.handle().createQuery("SELECT count(*) FROM price_migrations WHERE tenant_id = :tenant AND plan_code = :plan AND catalog_version = :version")
                .bind("tenant", tenantId).bind("plan", planCode).bind("version", catalogVersion).mapTo(Integer.class).one() > 0;
    }

    @Override
    public void insert(String tenantId, Stored m) {
        tx.handle().createUpdate("""
                INSERT INTO price_migrations (tenant_id, id, plan_code, catalog_version, policy, effective_date, notice_days, created_at)
                VALUES (:tenant, :id, :plan, :version, :policy, :effective, :notice, :at)""")
                .bind("tenant", tenantId).bind("id", m.id()).bind("plan", m.planCode()).bind("version", m.catalogVersion())
                .bind("policy", m.policy().wire()).bind("effective", m.effectiveDate()).bind("notice", m.noticeDays())
                .bind("at", Rows.utc(m.createdAt())).execute();
    }

    @Override
    public void insertMove(String tenantId, String migrationId, StoredMove m) {
        AbsentRows.adding(tx, AbsentRows.Table.PRICE_MOVES, tenantId, m.subscriptionId());
        tx.handle().createUpdate("""
                INSERT INTO price_migration_moves (tenant_id, migration_id, subscription_id, customer_id, from_version, notice_on, earliest_on, status, moved_on)
                VALUES (:tenant, :migration, :sub, :customer, :from, :notice, :earliest, :status, :moved)""")
                .bind("tenant", tenantId).bind("migration", migrationId).bind("sub", m.subscriptionId()).bind("customer", m.customerId())
                .bind("from", m.fromVersion()).bind("notice", m.noticeOn()).bind("earliest", m.earliestOn()).bind("status", m.status())
                .bind("moved", m.movedOn()).execute();
    }

    @Override
    public Optional<Stored> find(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM price_migrations WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id)
                .map((rs, ctx) -> new Stored(rs.getString("id"), rs.getString("plan_code"), rs.getInt("catalog_version"),
                        PriceMigration.Policy.valueOf(rs.getString("policy").toUpperCase(Locale.ROOT)), rs.getObject("effective_date", LocalDate.class),
                        rs.getObject("notice_days", Integer.class), Rows.instant(rs, "created_at")))
                .findOne();
    }

    @Override
    public List<StoredMove> moves(String tenantId, String migrationId) {
        return tx.handle().createQuery("""
                SELECT * FROM price_migration_moves WHERE tenant_id = :tenant AND migration_id = :migration ORDER BY subscription_id""")
                .bind("tenant", tenantId).bind("migration", migrationId)
                .map((rs, ctx) -> new StoredMove(rs.getString("subscription_id"), rs.getString("customer_id"), rs.getInt("from_version"),
                        rs.getObject("notice_on", LocalDate.class), rs.getObject("earliest_on", LocalDate.class), rs.getString("status"),
                        rs.getObject("moved_on", LocalDate.class)))
                .list();
    }

    @Override
    public List<String> subscriptionsOnOlderVersions(String tenantId, String planCode, int catalogVersion) {
        return tx.handle().createQuery("""
                SELECT id FROM subscriptions
                WHERE tenant_id = :tenant AND plan_code = :plan AND catalog_version < :version AND ended_on IS NULL
                ORDER BY id""")
                .bind("tenant", tenantId).bind("plan", planCode).bind("version", catalogVersion).mapTo(String.class).list();
    }

    @Override
    public List<DueMove> scheduled(String tenantId, String subscriptionId) {
        if (AbsentRows.known(tx, AbsentRows.Table.PRICE_MOVES, tenantId, subscriptionId)) {
            return List.of();
        }
        return tx.handle().createQuery("""
                SELECT m.migration_id, p.plan_code, p.catalog_version, m.earliest_on
                FROM price_migration_moves m JOIN price_migrations p ON p.tenant_id = m.tenant_id AND p.id = m.migration_id
                WHERE m.tenant_id = :tenant AND m.subscription_id = :sub AND m.status = 'scheduled'
                ORDER BY p.created_at, p.id""")
                .bind("tenant", tenantId).bind("sub", subscriptionId)
                .map((rs, ctx) -> new DueMove(rs.getString("migration_id"), rs.getString("plan_code"), rs.getInt("catalog_version"),
                        rs.getObject("earliest_on", LocalDate.class)))
                .list();
    }

    @Override
    public void markMove(String tenantId, String migrationId, String subscriptionId, String status, LocalDate movedOn) {
        AbsentRows.adding(tx, AbsentRows.Table.PRICE_MOVES, tenantId, subscriptionId);
        tx.handle().createUpdate("""
                UPDATE price_migration_moves SET status = :status, moved_on = :moved
                WHERE tenant_id = :tenant AND migration_id = :migration AND subscription_id = :sub""")
                .bind("status", status).bind("moved", movedOn).bind("tenant", tenantId).bind("migration", migrationId).bind("sub", subscriptionId)
                .execute();
    }
}

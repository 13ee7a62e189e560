package dev.accrue.adapters.postgres;

import dev.accrue.app.subscription.pause.PauseRepository;
import dev.accrue.app.subscription.pause.SubscriptionPause;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

public final class PostgresPauses implements PauseRepository {
    private static final RowMapper<SubscriptionPause> ROW = (rs, ctx) -> new SubscriptionPause(rs.getString("id"), rs.getString("subscription_id"),
            rs.getDate("paused_on").toLocalDate(), date(rs.getDate("resume_on")), date(rs.getDate("resumed_on")), Rows.instant(rs, "created_at"));
    private final JdbiTransactions tx;

    public PostgresPauses(JdbiTransactions tx) {
        this.tx = tx;
    }

    private static LocalDate date(Date d) {
        return d == null ? null : d.toLocalDate();
    }

    @Override
    public void insert(String tenantId, SubscriptionPause p) {
        AbsentRows.adding(tx, AbsentRows.Table.PAUSES, tenantId, p.subscriptionId());
        tx.handle().createUpdate("""
                        INSERT INTO subscription_pauses (tenant_id, id, subscription_id, paused_on, resume_on, resumed_on, created_at)
                        VALUES (:tenant, :id, :sub, :paused, :resume, :resumed, :created)""")
                .bind("tenant", tenantId).bind("id", p.id()).bind("sub", p.subscriptionId()).bind("paused", p.pausedOn())
                .bind("resume", p.resumeOn()).bind("resumed", p.resumedOn()).bind("created", Rows.utc(p.createdAt())).execute();
    }

    @Override
    public Optional<SubscriptionPause> openForUpdate(String tenantId, String subscriptionId) {
        if (AbsentRows.known(tx, AbsentRows.Table.PAUSES, tenantId, subscriptionId)) {
            return Optional.empty();
        }
        return tx.handle().createQuery("SELECT * FROM subscription_pauses WHERE tenant_id = :tenant AND subscription_id = :sub "
                        + "AND resumed_on IS NULL FOR UPDATE")
                .bind("tenant", tenantId).bind("sub", subscriptionId).map(ROW).findOne();
    }

    @Override
    public List<SubscriptionPause> forSubscription(String tenantId, String subscriptionId) {
        if (AbsentRows.known(tx, AbsentRows.Table.PAUSES, tenantId, subscriptionId)) {
            return List.of();
        }
        return tx.handle().createQuery("SELECT * FROM subscription_pauses WHERE tenant_id = :tenant AND subscription_id = :sub ORDER BY paused_on, id")
                .bind("tenant", tenantId).bind("sub", subscriptionId).map(ROW).list();
    }

    @Override
    public void resume(String tenantId, String id, LocalDate resumedOn) {
        tx.handle().createUpdate("UPDATE subscription_pauses SET resumed_on = :on WHERE tenant_id = :tenant AND id = :id AND resumed_on IS NULL")
                .bind("on", resumedOn).bind("tenant", tenantId).bind("id", id).execute();
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.subscription.scheduled.ScheduledActionRepository;
import dev.accrue.core.subscription.ScheduledAction;
import dev.accrue.core.time.BillingInterval;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

public final class PostgresScheduledActions implements ScheduledActionRepository {
    private static final RowMapper<ScheduledAction> ROW = (rs, ctx) -> {
        int q = rs.getInt("quantity");
        Integer quantity = rs.wasNull() ? null : q;
        return new ScheduledAction(rs.getString("id"), rs.getString("subscription_id"),
                ScheduledAction.Kind.fromWire(rs.getString("action")), rs.getDate("effective_on").toLocalDate(), rs.getString("plan"),
                quantity, rs.getString("reason"), rs.getDate("requested_on").toLocalDate(), ScheduledAction.Status.valueOf(rs.getString("status").toUpperCase()),
                rs.getString("failure"), Rows.instant(rs, "created_at"), Rows.instant(rs, "settled_at"),
                BillingInterval.fromWire(rs.getString("billing_interval")));
    };
    private final JdbiTransactions tx;

    public PostgresScheduledActions(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, ScheduledAction a) {
        AbsentRows.adding(tx, AbsentRows.Table.SCHEDULED_ACTIONS, tenantId, a.subscriptionId());
        tx.handle().createUpdate("""
                        INSERT INTO subscription_scheduled_actions (tenant_id, id, subscription_id, action, effective_on, plan, quantity, reason,
                          requested_on, status, failure, created_at, settled_at, billing_interval)
                        VALUES (:tenant, :id, :sub, :action, :on, :plan, :quantity, :reason, :requested, :status, :failure, :created, :settled,
                          :interval)""")
                .bind("interval", a.interval() == null ? null : a.interval().wire())
                .bind("tenant", tenantId).bind("id", a.id()).bind("sub", a.subscriptionId()).bind("action", a.kind().wire())
                .bind("on", a.effectiveOn()).bind("plan", a.plan()).bind("quantity", a.quantity()).bind("reason", a.reason()).bind("requested", a.requestedOn())
                .bind("status", a.status().wire()).bind("failure", a.failure()).bind("created", Rows.utc(a.createdAt()))
                .bind("settled", a.settledAt() == null ? null : Rows.utc(a.settledAt())).execute();
    }

    @Override
    public List<ScheduledAction> forSubscription(String tenantId, String subscriptionId) {
        if (AbsentRows.known(tx, AbsentRows.Table.SCHEDULED_ACTIONS, tenantId, subscriptionId)) {
            return List.of();
        }
        return tx.handle().createQuery("SELECT * FROM subscription_scheduled_actions WHERE tenant_id = :tenant AND subscription_id = :sub "
                        + "ORDER BY effective_on, id")
                .bind("tenant", tenantId).bind("sub", subscriptionId).map(ROW).list();
    }

    @Override
    public List<ScheduledAction> dueForUpdate(String tenantId, String subscriptionId, LocalDate through) {
        if (AbsentRows.known(tx, AbsentRows.Table.SCHEDULED_ACTIONS, tenantId, subscriptionId)) {
            return List.of();
        }
        return tx.handle().createQuery("SELECT * FROM subscription_scheduled_actions WHERE tenant_id = :tenant AND subscription_id = :sub "
                        + "AND status = 'scheduled' AND effective_on <= :through ORDER BY effective_on, id FOR UPDATE")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("through", through).map(ROW).list();
    }

    @Override
    public Optional<ScheduledAction> findForUpdate(String tenantId, String subscriptionId, String id) {
        return tx.handle().createQuery("SELECT * FROM subscription_scheduled_actions WHERE tenant_id = :tenant AND subscription_id = :sub "
                        + "AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("id", id).map(ROW).findOne();
    }

    @Override
    public void settle(String tenantId, ScheduledAction a) {
        tx.handle().createUpdate("UPDATE subscription_scheduled_actions SET status = :status, failure = :failure, settled_at = :at "
                        + "WHERE tenant_id = :tenant AND id = :id AND status = 'scheduled'")
                .bind("status", a.status().wire()).bind("failure", a.failure()).bind("at", Rows.utc(a.settledAt()))
                .bind("tenant", tenantId).bind("id", a.id()).execute();
    }
}

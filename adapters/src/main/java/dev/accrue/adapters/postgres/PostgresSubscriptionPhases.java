package dev.accrue.adapters.postgres;

import dev.accrue.app.phase.SubscriptionPhases;
import dev.accrue.core.subscription.PlanPhases;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Optional;

public final class PostgresSubscriptionPhases implements SubscriptionPhases {
    private final JdbiTransactions tx;

    public PostgresSubscriptionPhases(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void save(String tenantId, String subscriptionId, Stored phases) {
        tx.handle().createUpdate("""
                        INSERT INTO subscription_phases (tenant_id, subscription_id, plan_code, catalog_version, introduction_ends, term_ends)
                        VALUES (:tenant, :sub, :plan, :version, :intro, :term)
                        ON CONFLICT (tenant_id, subscription_id) DO UPDATE SET plan_code = EXCLUDED.plan_code,
                          catalog_version = EXCLUDED.catalog_version, introduction_ends = EXCLUDED.introduction_ends, term_ends = EXCLUDED.term_ends""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("plan", phases.planCode()).bind("version", phases.catalogVersion())
                .bind("intro", phases.dates().introductionEnds()).bind("term", phases.dates().termEnds()).execute();
    }

    @Override
    public Optional<Stored> find(String tenantId, String subscriptionId) {
        return tx.handle().createQuery("SELECT * FROM subscription_phases WHERE tenant_id = :tenant AND subscription_id = :sub")
                .bind("tenant", tenantId).bind("sub", subscriptionId)
                .map((rs, ctx) -> new Stored(rs.getString("plan_code"), rs.getInt("catalog_version"),
                        new PlanPhases.Dates(day(rs.getDate("introduction_ends")), day(rs.getDate("term_ends")))))
                .findOne();
    }

    private static LocalDate day(Date d) {
        return d == null ? null : d.toLocalDate();
    }
}

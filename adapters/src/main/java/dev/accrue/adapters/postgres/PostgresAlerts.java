package dev.accrue.adapters.postgres;

import dev.accrue.app.alert.AlertRepository;
import dev.accrue.app.alert.FiredAlert;
import dev.accrue.app.alert.UsageAlertRule;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

public final class PostgresAlerts implements AlertRepository {
    private final JdbiTransactions tx;

    public PostgresAlerts(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean insertRule(String tenantId, UsageAlertRule r) {
        return tx.handle().createUpdate("""
                        INSERT INTO usage_alert_rules (tenant_id, id, customer_id, user_email, metric, percents, amounts, created_at)
                        VALUES (:tenant, :id, :customer, :email, :metric, CAST(:percents AS numeric[]), CAST(:amounts AS numeric[]), :at)
                        ON CONFLICT (tenant_id, customer_id, user_email, metric) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", r.id()).bind("customer", r.customerId()).bind("email", r.userEmail())
                .bind("metric", r.metric()).bind("percents", PostgresAlerts.texts(r.percents()))
                .bind("amounts", PostgresAlerts.texts(r.amounts())).bind("at", Rows.utc(r.createdAt())).execute() == 1;
    }

    @Override
    public List<UsageAlertRule> rules(String tenantId, String customerId) {
        return rules(tenantId, List.of(customerId));
    }

    @Override
    public List<UsageAlertRule> rules(String tenantId, Collection<String> customerIds) {
        return tx.handle().createQuery("""
                        SELECT * FROM usage_alert_rules WHERE tenant_id = :tenant AND customer_id = ANY(:customers)
                        ORDER BY customer_id, metric, user_email NULLS FIRST""")
                .bind("tenant", tenantId).bind("customers", customerIds.toArray(String[]::new))
                .map((rs, ctx) -> rule(rs)).list();
    }

    @Override
    public boolean deleteRule(String tenantId, String customerId, String ruleId) {
        return tx.handle().createUpdate("DELETE FROM usage_alert_rules WHERE tenant_id = :tenant AND customer_id = :customer AND id = :id")
                .bind("tenant", tenantId).bind("customer", customerId).bind("id", ruleId).execute() == 1;
    }

    @Override
    public boolean fire(String tenantId, FiredAlert a) {
        return tx.handle().createUpdate("""
                        INSERT INTO fired_alerts (tenant_id, id, customer_id, kind, subject, window_start, window_end, audience, threshold, event_id,
                          data, fired_at)
                        VALUES (:tenant, :id, :customer, :kind, :subject, :start, :end, :audience, :threshold, :event, CAST(:data AS jsonb), :at)
                        ON CONFLICT (tenant_id, kind, subject, window_start, audience, threshold) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", a.id()).bind("customer", a.customerId()).bind("kind", a.kind()).bind("subject", a.subject())
                .bind("start", a.windowStart()).bind("end", a.windowEnd()).bind("audience", a.audience()).bind("threshold", a.threshold())
                .bind("event", a.eventId()).bind("data", StoredJson.write(a.data())).bind("at", Rows.utc(a.firedAt())).execute() == 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<FiredAlert> fired(String tenantId, String customerId, int limit) {
        return tx.handle().createQuery("""
                        SELECT * FROM fired_alerts WHERE tenant_id = :tenant AND customer_id = :customer
                        ORDER BY fired_at DESC, id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("limit", limit)
                .map((rs, ctx) -> new FiredAlert(rs.getString("id"), rs.getString("customer_id"), rs.getString("kind"), rs.getString("subject"),
                        rs.getDate("window_start").toLocalDate(), rs.getDate("window_end").toLocalDate(), rs.getString("audience"),
                        rs.getString("threshold"), rs.getString("event_id"), StoredJson.read(rs.getString("data"), Map.class),
                        Rows.instant(rs, "fired_at"))).list();
    }

    private static UsageAlertRule rule(ResultSet rs) throws SQLException {
        return new UsageAlertRule(rs.getString("id"), rs.getString("customer_id"), rs.getString("user_email"), rs.getString("metric"),
                decimals(rs.getArray("percents")), decimals(rs.getArray("amounts")), Rows.instant(rs, "created_at"));
    }

    /** Decimals as text for a numeric[] parameter (JDBI binds String[], not BigDecimal[]). */
    static String[] texts(List<BigDecimal> values) {
        return values.stream().map(BigDecimal::toPlainString).toArray(String[]::new);
    }

    static List<BigDecimal> decimals(Array array) throws SQLException {
        return Arrays.stream((BigDecimal[]) array.getArray()).map(BigDecimal::stripTrailingZeros).toList();
    }
}

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
                        SELECT r.* FROM unnest(CAST(:customers AS text[])) AS i(customer_id)
                        JOIN usage_alert_rules r ON r.tenant_id = :tenant AND r.customer_id = i.customer_id
                        ORDER BY r.customer_id, r.metric, r.user_email NULLS FIRST""")
                .bind("tenant", tenantId).bindArray("customers", String.class, List.copyOf(customerIds))
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
                          fired_at)
                        VALUES (:tenant, :id, :customer, :kind, :subject, :start, :end, :audience, :threshold, :event, :at)
                        ON CONFLICT (tenant_id, kind, subject, window_start, audience, threshold) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", a.id()).bind("customer", a.customerId()).bind("kind", a.kind()).bind("subject", a.subject())
                .bind("start", a.windowStart()).bind("end", a.windowEnd()).bind("audience", a.audience()).bind("threshold", a.threshold())
                .bind("event", a.eventId()).bind("at", Rows.utc(a.firedAt())).execute() == 1;
    }

    @Override
    public Set<String> fireAll(String tenantId, List<FiredAlert> alerts) {
        if (alerts.isEmpty()) {
            return Set.of();
        }
        // the content is not stored here: it is the event's data, recorded with the marker (V580), which fired() reads
        return new HashSet<>(tx.handle().createQuery("""
                        INSERT INTO fired_alerts (tenant_id, id, customer_id, kind, subject, window_start, window_end, audience, threshold, event_id,
                          fired_at)
                        SELECT :tenant, a.id, a.customer_id, a.kind, a.subject, a.window_start, a.window_end, a.audience, a.threshold, a.event_id,
                               a.fired_at
                        FROM unnest(CAST(:ids AS text[]), CAST(:customers AS text[]), CAST(:kinds AS text[]), CAST(:subjects AS text[]),
                                    CAST(:starts AS date[]), CAST(:ends AS date[]), CAST(:audiences AS text[]), CAST(:thresholds AS text[]),
                                    CAST(:events AS text[]), CAST(:ats AS timestamptz[]))
                             AS a(id, customer_id, kind, subject, window_start, window_end, audience, threshold, event_id, fired_at)
                        ON CONFLICT (tenant_id, kind, subject, window_start, audience, threshold) DO NOTHING
                        RETURNING id""")
                .bind("tenant", tenantId)
                .bindArray("ids", String.class, alerts.stream().map(FiredAlert::id).toList())
                .bindArray("customers", String.class, alerts.stream().map(FiredAlert::customerId).toList())
                .bindArray("kinds", String.class, alerts.stream().map(FiredAlert::kind).toList())
                .bindArray("subjects", String.class, alerts.stream().map(FiredAlert::subject).toList())
                .bindArray("starts", String.class, alerts.stream().map(a -> a.windowStart().toString()).toList())
                .bindArray("ends", String.class, alerts.stream().map(a -> a.windowEnd().toString()).toList())
                .bindArray("audiences", String.class, alerts.stream().map(FiredAlert::audience).toList())
                .bindArray("thresholds", String.class, alerts.stream().map(FiredAlert::threshold).toList())
                .bindArray("events", String.class, alerts.stream().map(FiredAlert::eventId).toList())
                .bindArray("ats", String.class, alerts.stream().map(a -> a.firedAt().toString()).toList())
                .mapTo(String.class).list());
    }

    @Override
    public Set<FiredAlert.Marker> firedIn(String tenantId, Collection<FiredAlert.Window> windows, List<String> kinds) {
        if (windows.isEmpty()) {
            return Set.of();
        }
        List<FiredAlert.Window> list = List.copyOf(windows);
        // the unique key (tenant, kind, subject, window_start, audience, threshold) answers it: one probe per kind and window
        return new HashSet<>(tx.handle().createQuery("""
                        SELECT f.kind, f.subject, f.window_start, f.audience, f.threshold
                        FROM unnest(CAST(:subjects AS text[]), CAST(:starts AS date[])) AS w(subject, window_start)
                        CROSS JOIN unnest(CAST(:kinds AS text[])) AS k(kind)
                        JOIN fired_alerts f ON f.tenant_id = :tenant AND f.kind = k.kind AND f.subject = w.subject
                             AND f.window_start = w.window_start""")
                .bind("tenant", tenantId).bindArray("subjects", String.class, list.stream().map(FiredAlert.Window::subject).toList())
                .bindArray("starts", String.class, list.stream().map(w -> w.windowStart().toString()).toList())
                .bindArray("kinds", String.class, kinds)
                .map((rs, ctx) -> new FiredAlert.Marker(rs.getString("kind"), rs.getString("subject"), rs.getDate("window_start").toLocalDate(),
                        rs.getString("audience"), rs.getString("threshold"))).list());
    }

    @Override
    public List<RowVersions> rowVersions(String tenantId, Collection<String> subscriptionIds) {
        if (subscriptionIds.isEmpty()) {
            return List.of();
        }
        // xmin is the transaction that wrote the row's current version: any UPDATE, whatever its columns, changes it
        return tx.handle().createQuery("""
                        SELECT s.id, s.xmin::text::bigint AS subscription_version, s.customer_id, c.xmin::text::bigint AS customer_version
                        FROM unnest(CAST(:ids AS text[])) AS i(id)
                        JOIN subscriptions s ON s.tenant_id = :tenant AND s.id = i.id
                        JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id""")
                .bind("tenant", tenantId).bindArray("ids", String.class, List.copyOf(subscriptionIds))
                .map((rs, ctx) -> new RowVersions(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4))).list();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<FiredAlert> fired(String tenantId, String customerId, int limit) {
        // an alert's content is its event's data (rows fired before V580 also kept a copy)
        return tx.handle().createQuery("""
                        SELECT f.*, COALESCE(f.data, e.data) AS content FROM fired_alerts f
                        LEFT JOIN domain_events e ON e.tenant_id = f.tenant_id AND e.id = f.event_id
                        WHERE f.tenant_id = :tenant AND f.customer_id = :customer
                        ORDER BY f.fired_at DESC, f.id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("limit", limit)
                .map((rs, ctx) -> new FiredAlert(rs.getString("id"), rs.getString("customer_id"), rs.getString("kind"), rs.getString("subject"),
                        rs.getDate("window_start").toLocalDate(), rs.getDate("window_end").toLocalDate(), rs.getString("audience"),
                        rs.getString("threshold"), rs.getString("event_id"), contentOf(rs.getString("content")),
                        Rows.instant(rs, "fired_at"))).list();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> contentOf(String json) {
        return json == null ? Map.of() : StoredJson.read(json, Map.class);
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

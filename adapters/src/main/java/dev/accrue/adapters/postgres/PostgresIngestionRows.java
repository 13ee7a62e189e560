package dev.accrue.adapters.postgres;

import dev.accrue.app.billing.CustomerClock;
import dev.accrue.app.metering.IngestionRowsRepository;
import dev.accrue.core.subscription.Subscription;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link IngestionRowsRepository}: three statements sent with one Sync (pgjdbc reads their results in turn), each a moment
 * of its own as three round trips were. Every lookup by the list of ids probes an index per id (a lateral subquery kept
 * apart by {@code OFFSET 0}): a plain join on the unnested ids lets the generic plan PostgreSQL caches for a prepared
 * statement choose a hash join over all of a small tenant's rows ({@code PostgresSubscriptions.FOR_CUSTOMERS},
 * {@code IdLookupPlanTest}).
 */
public final class PostgresIngestionRows implements IngestionRowsRepository {
    /** The customers found, with their clocks and account types. */
    public static final String CUSTOMERS = """
            SELECT c.id, c.time_zone, c.test_clock_id, c.account_type FROM unnest(CAST(:customers AS text[])) AS i(id)
            CROSS JOIN LATERAL (SELECT * FROM customers x WHERE x.tenant_id = :tenant AND x.id = i.id OFFSET 0) c""";
    /** Per subscription of those customers and metric, where its billed windows end (metered charges: not the '*' rows). */
    public static final String BILLED_THROUGH = """
            SELECT s.id AS subscription_id, b.metric, b.through FROM unnest(CAST(:customers AS text[])) AS i(customer_id)
            CROSS JOIN LATERAL (SELECT x.id FROM subscriptions x WHERE x.tenant_id = :tenant AND x.customer_id = i.customer_id OFFSET 0) s
            CROSS JOIN LATERAL (SELECT u.metric, max(u.window_end) AS through FROM billed_usage u
                                WHERE u.tenant_id = :tenant AND u.subscription_id = s.id AND u.charge_code <> :every_charge
                                GROUP BY u.metric OFFSET 0) b""";
    private static final PositionalSql ALL = PositionalSql.of(CUSTOMERS + ";\n" + PostgresSubscriptions.FOR_CUSTOMERS + ";\n" + BILLED_THROUGH);

    private final JdbiTransactions tx;

    public PostgresIngestionRows(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Read read(String tenantId, Collection<String> customerIds) {
        List<CustomerClock> clocks = new ArrayList<>();
        Set<String> prepaid = new HashSet<>();
        List<Subscription> subscriptions = new ArrayList<>();
        Map<String, Map<String, LocalDate>> lateBefore = new HashMap<>();
        if (customerIds.isEmpty()) {
            return new Read(clocks, prepaid, subscriptions, lateBefore);
        }
        Connection connection = tx.connection();
        try (PreparedStatement statement = connection.prepareStatement(ALL.sql())) {
            ALL.bind(statement, Map.of("tenant", tenantId, "every_charge", PostgresBilledUsage.EVERY_CHARGE,
                    "customers", connection.createArrayOf("text", customerIds.toArray())));
            statement.execute();
            try (ResultSet rs = statement.getResultSet()) {
                while (rs.next()) {
                    clocks.add(new CustomerClock(rs.getString("id"), ZoneId.of(rs.getString("time_zone")), rs.getString("test_clock_id")));
                    if ("prepaid".equals(rs.getString("account_type"))) {
                        prepaid.add(rs.getString("id"));
                    }
                }
            }
            statement.getMoreResults();
            try (ResultSet rs = statement.getResultSet()) {
                while (rs.next()) {
                    subscriptions.add(PostgresSubscriptions.MAPPER.map(rs, null));
                }
            }
            statement.getMoreResults();
            try (ResultSet rs = statement.getResultSet()) {
                while (rs.next()) {
                    lateBefore.computeIfAbsent(rs.getString("subscription_id"), k -> new HashMap<>())
                            .put(rs.getString("metric"), rs.getDate("through").toLocalDate());
                }
            }
            return new Read(clocks, prepaid, subscriptions, lateBefore);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }
}

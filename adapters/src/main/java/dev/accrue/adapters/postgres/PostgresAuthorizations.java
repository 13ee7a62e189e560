package dev.accrue.adapters.postgres;

import dev.accrue.app.authorization.Authorization;
import dev.accrue.app.authorization.AuthorizationRepository;
import dev.accrue.app.billing.CustomerClock;

import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class PostgresAuthorizations implements AuthorizationRepository {
    private final JdbiTransactions tx;

    public PostgresAuthorizations(JdbiTransactions tx) {
        this.tx = tx;
    }

    /**
     * Also switches this transaction to {@code synchronous_commit = off}: the commit returns before its WAL
     * record is flushed. A database crash in the next few hundred milliseconds (at most 3 × wal_writer_delay)
     * can then lose the reservation — never corrupt anything, and never lose a later synchronously committed
     * write, since WAL is flushed in order. A lost reservation is the same as one that expired early: its
     * seconds count as available again; the call's usage is still recorded when it is sent (as an event, since
     * committing the lost authorization answers not_found). Usage events, invoices and payments keep
     * synchronous commits. The setting is transaction-local, which is why the transaction must hold nothing
     * but the reservation.
     */
    @Override
    public void insert(String tenantId, Authorization a) {
        tx.handle().createUpdate("""
                        WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
                        INSERT INTO authorizations (tenant_id, id, subscription_id, customer_id, metric, reserved, status, expires_at, created_at)
                        SELECT :tenant, :id, :sub, :customer, :metric, :reserved, 'held', :expires, :at FROM relaxed""")
                .bind("tenant", tenantId).bind("id", a.id()).bind("sub", a.subscriptionId()).bind("customer", a.customerId())
                .bind("metric", a.metric()).bind("reserved", a.reserved()).bind("expires", Rows.utc(a.expiresAt())).bind("at", Rows.utc(a.createdAt()))
                .execute();
    }

    @Override
    public LockedBalance lockedBalance(String tenantId, String customerId, String subscriptionId, String metric, java.time.LocalDate from,
                                       java.time.LocalDate to, Instant now) {
        return tx.handle().createQuery("SELECT signature, used, held FROM accrue_authorization_balance(:tenant, :customer, CAST(:sub AS text), :metric, CAST(:from AS date), CAST(:to AS date), :now)")
                .bind("tenant", tenantId).bind("customer", customerId).bind("sub", subscriptionId).bind("metric", metric)
                .bind("from", from).bind("to", to).bind("now", Rows.utc(now))
                .map((rs, ctx) -> new LockedBalance(rs.getString("signature"), strip(rs.getBigDecimal("used")), strip(rs.getBigDecimal("held"))))
                .one();
    }

    private static final String RESERVE = """
            SELECT signature, used, held, decided FROM accrue_authorization_reserve(?, ?, ?, ?, ?, CAST(? AS date), CAST(? AS date),
              CAST(? AS timestamptz), CAST(? AS numeric), CAST(? AS numeric), ?, CAST(? AS numeric), CAST(? AS timestamptz), CAST(? AS timestamptz))""";

    /** The hot path of every authorization: plain JDBC on the handle's connection, without JDBI's per-statement machinery. */
    @Override
    public Reservation reserve(String tenantId, String signature, java.time.LocalDate from, java.time.LocalDate to, Instant now,
                               BigDecimal seenUsed, BigDecimal seenHeld, Authorization a) {
        try (PreparedStatement ps = tx.handle().getConnection().prepareStatement(RESERVE)) {
            bindReserve(ps, tenantId, signature, from, to, now, seenUsed, seenHeld, a);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Reservation(rs.getString(1), strip(rs.getBigDecimal(2)), strip(rs.getBigDecimal(3)), rs.getBoolean(4));
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    private static final String RESERVE_GROUP = """
            SELECT signature, used, held, decided, busy FROM accrue_authorization_reserve_group(?, ?, ?, ?, ?, CAST(? AS date[]), CAST(? AS date[]),
              CAST(? AS timestamptz[]), CAST(? AS numeric[]), CAST(? AS numeric[]), ?, CAST(? AS numeric[]), CAST(? AS timestamptz[]), CAST(? AS timestamptz[]))""";

    /** One statement for the whole batch; every array is sent as text[] and cast by PostgreSQL (pgjdbc encodes text arrays cheaply). */
    @Override
    public List<GroupReservation> reserveGroup(String tenantId, List<GroupCheck> checks) {
        int n = checks.size();
        String[][] columns = new String[13][n];
        for (int i = 0; i < n; i++) {
            GroupCheck c = checks.get(i);
            Authorization a = c.a();
            String[] row = {a.customerId(), c.signature(), a.subscriptionId(), a.metric(), c.from().toString(), c.to().toString(),
                    c.now().toString(), text(c.seenUsed()), text(c.seenHeld()), a.id(), text(a.reserved()), a.expiresAt().toString(),
                    a.createdAt().toString()};
            for (int k = 0; k < row.length; k++) {
                columns[k][i] = row[k];
            }
        }
        Connection connection = tx.handle().getConnection();
        try (PreparedStatement ps = connection.prepareStatement(RESERVE_GROUP)) {
            ps.setString(1, tenantId);
            for (int k = 0; k < columns.length; k++) {
                ps.setArray(k + 2, connection.createArrayOf("text", columns[k]));
            }
            List<GroupReservation> answers = new ArrayList<>(n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    answers.add(new GroupReservation(rs.getString(1), strip(rs.getBigDecimal(2)), strip(rs.getBigDecimal(3)), rs.getBoolean(4),
                            rs.getBoolean(5)));
                }
            }
            return answers;
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** The parameters {@link #RESERVE} and {@link #RESERVE_ONE} share, in their order. */
    private static void bindReserve(PreparedStatement ps, String tenantId, String signature, java.time.LocalDate from, java.time.LocalDate to, Instant now,
                                    BigDecimal seenUsed, BigDecimal seenHeld, Authorization a) throws SQLException {
        ps.setString(1, tenantId);
        ps.setString(2, a.customerId());
        ps.setString(3, signature);
        ps.setString(4, a.subscriptionId());
        ps.setString(5, a.metric());
        ps.setObject(6, from);
        ps.setObject(7, to);
        ps.setObject(8, Rows.utc(now));
        ps.setBigDecimal(9, seenUsed);
        ps.setBigDecimal(10, seenHeld);
        ps.setString(11, a.id());
        ps.setBigDecimal(12, a.reserved());
        ps.setObject(13, Rows.utc(a.expiresAt()));
        ps.setObject(14, Rows.utc(a.createdAt()));
    }

    private static final String RESERVE_ONE = """
            SELECT signature, used, held, decided, busy FROM accrue_authorization_reserve_one(?, ?, ?, ?, ?, CAST(? AS date), CAST(? AS date),
              CAST(? AS timestamptz), CAST(? AS numeric), CAST(? AS numeric), ?, CAST(? AS numeric), CAST(? AS timestamptz), CAST(? AS timestamptz))""";

    @Override
    public GroupReservation reserveOne(String tenantId, GroupCheck c) {
        Authorization a = c.a();
        try (PreparedStatement ps = tx.handle().getConnection().prepareStatement(RESERVE_ONE)) {
            bindReserve(ps, tenantId, c.signature(), c.from(), c.to(), c.now(), c.seenUsed(), c.seenHeld(), a);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new GroupReservation(rs.getString(1), strip(rs.getBigDecimal(2)), strip(rs.getBigDecimal(3)), rs.getBoolean(4), rs.getBoolean(5));
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    private static String text(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }

    private static BigDecimal strip(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros();
    }

    @Override
    public Optional<Authorization> findForUpdate(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM authorizations WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", id)
                .map((rs, ctx) -> authorization(rs))
                .findOne();
    }

    @Override
    public List<Ending> lockForEnding(String tenantId, java.util.Collection<String> ids) {
        // joined on the unnested ids, not "id = ANY (:ids)", which a cached generic plan compares with every row of the tenant
        // (PostgresCustomers.clocks); FOR UPDATE sits above the sort, so rows are locked in id order
        return tx.handle().createQuery("""
                        SELECT a.*, s.catalog_version, c.time_zone, c.test_clock_id FROM unnest(CAST(:ids AS text[])) AS i(id)
                        JOIN authorizations a ON a.tenant_id = :tenant AND a.id = i.id
                        JOIN subscriptions s ON s.tenant_id = a.tenant_id AND s.id = a.subscription_id
                        JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = a.customer_id
                        ORDER BY a.id FOR UPDATE OF a""")
                .bind("tenant", tenantId).bindArray("ids", String.class, List.copyOf(ids))
                .map((rs, ctx) -> new Ending(authorization(rs), rs.getInt("catalog_version"),
                        new CustomerClock(rs.getString("customer_id"), ZoneId.of(rs.getString("time_zone")), rs.getString("test_clock_id"))))
                .list();
    }

    private static Authorization authorization(ResultSet rs) throws SQLException {
        return new Authorization(rs.getString("id"), rs.getString("subscription_id"), rs.getString("customer_id"),
                rs.getString("metric"), rs.getBigDecimal("reserved"), rs.getString("status"), rs.getBigDecimal("committed"),
                Rows.instant(rs, "expires_at"), Rows.instant(rs, "created_at"));
    }

    @Override
    public void settleAll(String tenantId, List<Settlement> settled, String status, Instant at) {
        // one statement: the running-total trigger (V620) then moves each subscription's total once, in its key order
        tx.handle().createUpdate("""
                        UPDATE authorizations a SET status = :status, committed = CAST(s.committed AS numeric), settled_at = :at
                        FROM unnest(CAST(:ids AS text[]), CAST(:committed AS text[])) AS s(id, committed)
                        WHERE a.tenant_id = :tenant AND a.id = s.id""")
                .bind("status", status).bind("at", Rows.utc(at)).bind("tenant", tenantId)
                .bindArray("ids", String.class, settled.stream().map(Settlement::id).toList())
                .bindArray("committed", String.class, settled.stream().map(x -> text(x.committed())).toList()) // exact: numbers as their text
                .execute();
    }

    @Override
    public int expire(Instant now, java.time.Duration grace, int limit) {
        // the scan reads the held rows' partial index whole (its key starts with the subscription): a sweep's cost, where an
        // index on expires_at alone would cost every reservation's insert one more index entry
        return tx.handle().createUpdate("""
                        UPDATE authorizations a SET status = 'expired', settled_at = CAST(:now AS timestamptz)
                        FROM (SELECT h.tenant_id, h.id FROM authorizations h
                              JOIN customers c ON c.tenant_id = h.tenant_id AND c.id = h.customer_id
                              LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id
                              WHERE h.status = 'held'
                                AND h.expires_at <= COALESCE(tc.frozen_time, CAST(:now AS timestamptz)) - CAST(:grace AS interval)
                              LIMIT :limit FOR UPDATE OF h SKIP LOCKED) due
                        WHERE a.tenant_id = due.tenant_id AND a.id = due.id AND a.status = 'held'""")
                .bind("now", Rows.utc(now)).bind("grace", grace.toSeconds() + " seconds").bind("limit", limit).execute();
    }

    @Override
    public void settle(String tenantId, String id, String status, BigDecimal committed, Instant at) {
        tx.handle().createUpdate("UPDATE authorizations SET status = :status, committed = :committed, settled_at = :at WHERE tenant_id = :tenant AND id = :id")
                .bind("status", status).bind("committed", committed).bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute();
    }
}

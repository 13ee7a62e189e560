package dev.accrue.adapters.postgres;

import dev.accrue.app.metering.UsageRepository;
import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.core.metering.TelecomEvents;
import dev.accrue.core.time.Period;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.util.PSQLException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Usage storage. One statement inserts a whole batch from arrays (unnest), skips ids already stored
 * (ON CONFLICT DO NOTHING on usage_event_ids' primary key — after a first try that takes them all as new, see
 * {@link #INSERT_FRESH}; the ids of a call must be distinct, as both callers make them), stores the events whose id
 * it took, folds only the rows actually inserted into the daily aggregates with one upsert per key, and returns the ids it did not insert — so the events and their
 * aggregate effect commit together or not at all.
 */
public final class PostgresUsage implements UsageRepository {
    private static final String INSERT_TEMPLATE = """
            WITH doc AS MATERIALIZED (
                SELECT CAST(:props AS jsonb) AS properties
            ), incoming AS (
                SELECT t.*, doc.properties -> (CAST(t.ord AS integer) - 1) AS properties
                FROM doc, unnest(CAST(:ids AS text[]), CAST(:customers AS text[]), CAST(:subs AS text[]), CAST(:metrics AS text[]),
                                 CAST(:ats AS timestamptz[]), CAST(:days AS date[]), CAST(:quantities AS numeric[]), CAST(:dims AS text[]),
                                 CAST(:counted AS boolean[]), CAST(:late AS boolean[]), CAST(:uniques AS text[]),
                                 CAST(:keeps AS boolean[]), CAST(:ops AS text[])) WITH ORDINALITY
                    AS t(event_id, customer_id, subscription_id, metric, occurred_at, day, quantity, dimension_key, counted, late,
                         unique_value, keep_value, unit_op, ord)
            ), ids AS (
                -- the exact de-duplication: one row per (tenant, id) whatever the event's day (usage_events is partitioned by
                -- day, so its own key cannot be); a forwarded call's outbound leg goes in only with its call: sent under the id
                -- of an event stored before, the call is a duplicate and gains no leg (the call's own id, inserted by this
                -- statement, is not seen here). In id order: an id another open transaction inserted makes this one wait
                -- for it, so two writers (or nodes) storing overlapping ids in their batches' own orders could each wait
                -- on an id the other took first — a deadlock; in one order, the first shared id decides who waits.
                INSERT INTO usage_event_ids (tenant_id, event_id, customer_id, day)
                SELECT :tenant, event_id, customer_id, day FROM incoming
                WHERE NOT (right(incoming.event_id, length(:leg)) = :leg AND EXISTS (SELECT 1 FROM usage_event_ids u
                           WHERE u.tenant_id = :tenant AND u.event_id = left(incoming.event_id, -length(:leg))))
                ORDER BY event_id COLLATE "C"
                %s
                RETURNING event_id
            ), inserted AS (
                INSERT INTO usage_events (tenant_id, event_id, customer_id, subscription_id, metric, occurred_at, day, quantity,
                                          dimension_key, counted, properties, received_at, late, unique_value, keep_value, unit_op)
                SELECT :tenant, incoming.event_id, customer_id, subscription_id, metric, occurred_at, day, quantity, dimension_key, counted,
                       properties, :received, late, unique_value, keep_value, unit_op
                FROM incoming JOIN ids ON ids.event_id = incoming.event_id
                RETURNING event_id, subscription_id, metric, day, dimension_key, quantity, occurred_at, counted, unique_value, keep_value
            ), folded AS (
                INSERT INTO usage_daily (tenant_id, subscription_id, metric, day, dimension_key, quantity, events, max_quantity,
                                         latest_at, latest_quantity, received_at)
                SELECT :tenant, subscription_id, metric, day, dimension_key, sum(quantity), count(*), max(quantity),
                       max(occurred_at), (array_agg(quantity ORDER BY occurred_at DESC))[1], :received
                FROM inserted WHERE counted
                GROUP BY subscription_id, metric, day, dimension_key
                ORDER BY subscription_id, metric, day, dimension_key
                ON CONFLICT (tenant_id, subscription_id, metric, day, dimension_key) DO UPDATE SET
                    quantity = usage_daily.quantity + EXCLUDED.quantity,
                    events = usage_daily.events + EXCLUDED.events,
                    max_quantity = GREATEST(usage_daily.max_quantity, EXCLUDED.max_quantity),
                    latest_quantity = CASE WHEN EXCLUDED.latest_at >= usage_daily.latest_at THEN EXCLUDED.latest_quantity ELSE usage_daily.latest_quantity END,
                    latest_at = GREATEST(usage_daily.latest_at, EXCLUDED.latest_at),
                    received_at = EXCLUDED.received_at
            ), past AS (
                -- a closed day changed (an event dated before yesterday, system UTC day): rollups of it no longer count
                -- (UsageRollups); none in real-time ingestion
                INSERT INTO usage_past_versions (tenant_id, subscription_id, metric, version)
                SELECT :tenant, subscription_id, metric, 1 FROM inserted WHERE counted AND day < :closed
                GROUP BY subscription_id, metric ORDER BY subscription_id, metric
                ON CONFLICT (tenant_id, subscription_id, metric) DO UPDATE SET version = usage_past_versions.version + 1
            ), uniques AS (
                -- in key order, as the ids and the folds: a value another open transaction inserted makes this one wait for it
                INSERT INTO usage_unique (tenant_id, subscription_id, metric, day, dimension_key, value)
                SELECT DISTINCT :tenant, subscription_id, metric, day, dimension_key, unique_value FROM inserted WHERE counted AND unique_value IS NOT NULL
                ORDER BY subscription_id, metric, day, dimension_key, unique_value
                ON CONFLICT DO NOTHING
            ), kept AS (
                INSERT INTO usage_values (tenant_id, subscription_id, metric, day, dimension_key, value, events)
                SELECT :tenant, subscription_id, metric, day, dimension_key, quantity, count(*) FROM inserted WHERE counted AND keep_value
                GROUP BY subscription_id, metric, day, dimension_key, quantity
                ORDER BY subscription_id, metric, day, dimension_key, quantity
                ON CONFLICT (tenant_id, subscription_id, metric, day, dimension_key, value) DO UPDATE SET events = usage_values.events + EXCLUDED.events
            )
            SELECT id FROM unnest(CAST(:ids AS text[])) AS id
            WHERE (SELECT count(*) FROM inserted) < :n AND NOT EXISTS (SELECT 1 FROM inserted WHERE inserted.event_id = id)""";
    /** Skips ids stored before: a speculative insertion, which looks each id up before inserting it (a second descent). */
    private static final String INSERT = INSERT_TEMPLATE.formatted("ON CONFLICT (tenant_id, event_id) DO NOTHING");
    /**
     * Takes every id as new: one descent per id, the unique index's own check. Tried first, in a savepoint, because
     * stored ids are rare (a client's retry); when one is met, the savepoint is rolled back and {@link #INSERT} runs.
     * Measured on 300,000 ids into an index of 2 M: 8.3–9.6 µs of PostgreSQL CPU per id against 11.7–12.6 µs.
     */
    private static final String INSERT_FRESH = INSERT_TEMPLATE.formatted("");
    private static final String IDS_KEY = "usage_event_ids_pkey";
    private static final String SAVEPOINT = "usage_fresh_ids";
    /** After a batch met stored ids, this node's batches skip the optimistic try for this long (a client resending). */
    public static final Duration CAUTIOUS_AFTER_CONFLICT = Duration.ofSeconds(1);
    /** One event by id: its day, read from usage_event_ids, leads to its one partition (pruned when the statement runs). */
    private static final String BY_ID = "tenant_id = :tenant AND event_id = :id AND day = (SELECT i.day FROM usage_event_ids i WHERE i.tenant_id = :tenant AND i.event_id = :id)";
    private final JdbiTransactions tx;
    private final UsageRollups rollups;

    /** Reads use the closed-days rollups they find valid, and never ask for one to be built. */
    public PostgresUsage(JdbiTransactions tx) {
        this(tx, null);
    }

    /** {@code clock}: the system clock, whose UTC day decides which days are closed ({@link UsageRollups}). */
    public PostgresUsage(JdbiTransactions tx, java.time.Clock clock) {
        this.tx = tx;
        this.rollups = new UsageRollups(tx, clock);
    }

    /** The closed-days rollups these reads use (a build on demand, for tests and tools). */
    public UsageRollups rollups() {
        return rollups;
    }

    /**
     * Columns travel as array literals built here in one pass (PostgreSQL casts them), the properties as one JSON
     * array (one jsonb parse for the batch instead of one per element). The statement answers only the ids it did
     * not insert, and skips even that work when it inserted them all (the usual case).
     */
    @Override
    public Set<String> insert(String tenantId, List<MeteredEvent> events, Instant receivedAt) {
        int n = events.size();
        ArrayLiteral ids = new ArrayLiteral(n * 16), customers = new ArrayLiteral(n * 12), subs = new ArrayLiteral(n * 12);
        ArrayLiteral metrics = new ArrayLiteral(n * 12), ats = new ArrayLiteral(n * 28), days = new ArrayLiteral(n * 11);
        ArrayLiteral quantities = new ArrayLiteral(n * 6), dims = new ArrayLiteral(n * 20), counted = new ArrayLiteral(n * 2);
        ArrayLiteral late = new ArrayLiteral(n * 2), uniques = new ArrayLiteral(n * 5), keeps = new ArrayLiteral(n * 2), ops = new ArrayLiteral(n * 5);
        List<java.util.Map<String, Object>> props = new java.util.ArrayList<>(n);
        for (MeteredEvent e : events) {
            ids.add(e.eventId());
            customers.add(e.customerId());
            subs.add(e.subscriptionId());
            metrics.add(e.metric());
            ats.addInstant(e.occurredAt());
            days.add(e.day().toString());
            quantities.add(e.quantity().toPlainString());
            dims.add(e.dimensionKey());
            counted.add(e.counted() ? "t" : "f");
            late.add(e.late() ? "t" : "f");
            uniques.add(e.uniqueValue());
            keeps.add(e.keepValue() ? "t" : "f");
            ops.add(e.unitOp());
            props.add(e.properties());
        }
        Map<String, Object> binds = new HashMap<>();
        binds.put("tenant", tenantId);
        binds.put("received", Rows.utc(receivedAt));
        binds.put("closed", UsageRollups.closedBefore(LocalDate.ofInstant(receivedAt, java.time.ZoneOffset.UTC)));
        binds.put("n", (long) n);
        binds.put("leg", TelecomEvents.FORWARD_LEG_SUFFIX);
        binds.put("ids", ids.text());
        binds.put("customers", customers.text());
        binds.put("subs", subs.text());
        binds.put("metrics", metrics.text());
        binds.put("ats", ats.text());
        binds.put("days", days.text());
        binds.put("quantities", quantities.text());
        binds.put("dims", dims.text());
        binds.put("counted", counted.text());
        binds.put("late", late.text());
        binds.put("uniques", uniques.text());
        binds.put("keeps", keeps.text());
        binds.put("ops", ops.text());
        binds.put("props", StoredJson.write(props));
        Handle handle = tx.handle();
        List<String> known = System.nanoTime() - conflictedAt > CAUTIOUS_AFTER_CONFLICT.toNanos() ? optimistically(handle, binds) : null;
        if (known == null) {
            known = handle.createQuery(INSERT).bindMap(binds).mapTo(String.class).list();
        }
        markLateWindowsDirty(tenantId, events);
        return new HashSet<>(known);
    }

    /** When a batch last met stored ids ({@link System#nanoTime}). */
    private volatile long conflictedAt = System.nanoTime() - CAUTIOUS_AFTER_CONFLICT.toNanos() - 1;

    /**
     * Runs {@link #INSERT_FRESH} inside a savepoint; null when an id was stored before (the savepoint rolled back: nothing
     * of the statement kept), so the caller runs {@link #INSERT}. Any other failure is the caller's.
     */
    private List<String> optimistically(Handle handle, Map<String, Object> binds) {
        handle.savepoint(SAVEPOINT);
        try {
            List<String> known = handle.createQuery(INSERT_FRESH).bindMap(binds).mapTo(String.class).list();
            handle.releaseSavepoint(SAVEPOINT);
            return known;
        } catch (UnableToExecuteStatementException e) {
            if (!(e.getCause() instanceof PSQLException p) || !"23505".equals(p.getSQLState()) || p.getServerErrorMessage() == null
                    || !IDS_KEY.equals(p.getServerErrorMessage().getConstraint())) {
                throw e;
            }
            conflictedAt = System.nanoTime();
            handle.rollbackToSavepoint(SAVEPOINT); // JDBI forgets it then; in PostgreSQL it ends with the transaction
            return null;
        }
    }

    /**
     * Late events (dated in a window a document already billed) mark that window for re-pricing, in the same
     * transaction as the events: the next document of the charge then bills the difference. Usually no event of
     * a batch is late and nothing runs.
     */
    private void markLateWindowsDirty(String tenantId, List<MeteredEvent> events) {
        ArrayLiteral subs = null, metrics = null, days = null, carries = null;
        java.util.Set<String> seen = new HashSet<>();
        for (MeteredEvent e : events) {
            if (e.late() && seen.add(e.subscriptionId() + '\u0000' + e.metric() + '\u0000' + e.day())) {
                if (subs == null) {
                    subs = new ArrayLiteral(64);
                    metrics = new ArrayLiteral(64);
                    days = new ArrayLiteral(64);
                    carries = new ArrayLiteral(64);
                }
                subs.add(e.subscriptionId());
                metrics.add(e.metric());
                days.add(e.day().toString());
                carries.add(e.unitOp() != null ? "t" : "f"); // a unit added or removed changes every later window too
            }
        }
        if (subs == null) {
            return;
        }
        AbsentRows.addingForCustomer(tx, AbsentRows.Table.USAGE_TO_RECHECK); // any of these subscriptions may now have windows to re-check
        tx.handle().createUpdate("""
                        UPDATE billed_usage b SET dirty = true
                        FROM unnest(CAST(:subs AS text[]), CAST(:metrics AS text[]), CAST(:days AS date[]), CAST(:carries AS boolean[]))
                            AS l(subscription_id, metric, day, carries)
                        WHERE b.tenant_id = :tenant AND b.subscription_id = l.subscription_id AND b.metric = l.metric
                          AND (b.window_start <= l.day OR l.carries) AND l.day < b.window_end AND NOT b.dirty""")
                .bind("tenant", tenantId).bind("subs", subs.text()).bind("metrics", metrics.text()).bind("days", days.text())
                .bind("carries", carries.text()).execute();
    }

    /** A PostgreSQL array literal ({@code {"a","b",NULL}}), every element quoted and escaped. */
    static final class ArrayLiteral {
        private final StringBuilder text;

        ArrayLiteral(int capacity) {
            text = new StringBuilder(capacity + 2).append('{');
        }

        void add(String value) {
            if (text.length() > 1) {
                text.append(',');
            }
            if (value == null) {
                text.append("NULL");
                return;
            }
            text.append('"');
            if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
                text.append(value); // the usual case: one bulk copy
            } else {
                for (int i = 0, len = value.length(); i < len; i++) {
                    char c = value.charAt(i);
                    if (c == '"' || c == '\\') {
                        text.append('\\');
                    }
                    text.append(c);
                }
            }
            text.append('"');
        }

        /** An instant as ISO-8601 UTC ({@code 2026-06-01T12:00:00.123456789Z}), without the generic formatter. */
        void addInstant(Instant at) {
            long seconds = at.getEpochSecond();
            long day = Math.floorDiv(seconds, 86_400L);
            int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
            LocalDate date = LocalDate.ofEpochDay(day);
            if (date.getYear() < 1000 || date.getYear() > 9999) {
                add(at.toString());
                return;
            }
            if (text.length() > 1) {
                text.append(',');
            }
            text.append('"').append(date.getYear()).append('-');
            two(date.getMonthValue()).append('-');
            two(date.getDayOfMonth()).append('T');
            two(secondOfDay / 3600).append(':');
            two(secondOfDay / 60 % 60).append(':');
            two(secondOfDay % 60);
            int nanos = at.getNano();
            if (nanos != 0) {
                String digits = Integer.toString(nanos);
                text.append('.');
                for (int i = digits.length(); i < 9; i++) {
                    text.append('0');
                }
                text.append(digits);
            }
            text.append("Z\"");
        }

        private StringBuilder two(int value) {
            return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
        }

        String text() {
            return text.append('}').toString();
        }
    }

    @Override
    public java.util.Optional<StoredEvent> findForUpdate(String tenantId, String eventId) {
        return tx.handle().createQuery("SELECT * FROM usage_events WHERE " + BY_ID + " FOR UPDATE")
                .bind("tenant", tenantId).bind("id", eventId)
                .map((rs, ctx) -> new StoredEvent(rs.getString("event_id"), rs.getString("customer_id"), rs.getString("subscription_id"),
                        rs.getString("metric"), rs.getDate("day").toLocalDate(), rs.getString("dimension_key"),
                        rs.getBigDecimal("quantity").stripTrailingZeros(), rs.getTimestamp("cancelled_at") != null,
                        StoredJson.read(rs.getString("properties"), java.util.Map.class), Rows.instant(rs, "occurred_at")))
                .findOne();
    }

    @Override
    public void cancel(String tenantId, String eventId, Instant at) {
        tx.handle().createUpdate("UPDATE usage_events SET cancelled_at = :at, counted = false WHERE " + BY_ID)
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", eventId).execute();
    }

    @Override
    public void correct(String tenantId, String eventId, BigDecimal quantity, String dimensionKey, boolean counted,
                        java.util.Map<String, Object> properties, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE usage_events SET quantity = :q, dimension_key = :dim, counted = :counted, properties = CAST(:props AS jsonb),
                          corrected_at = :at WHERE""" + " " + BY_ID)
                .bind("q", quantity).bind("dim", dimensionKey).bind("counted", counted).bind("props", StoredJson.write(properties))
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", eventId).execute();
    }

    @Override
    public void recomputeDay(String tenantId, String subscriptionId, String metric, LocalDate day) {
        var h = tx.handle();
        // whatever the day: a rebuilt day may be a rolled-up one (UsageRollups); corrections and cancellations are rare
        h.createUpdate(UsageRollups.BUMP).bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).execute();
        h.createUpdate("DELETE FROM usage_unique WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day = :day")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("day", day).execute();
        h.createUpdate("""
                        INSERT INTO usage_unique (tenant_id, subscription_id, metric, day, dimension_key, value)
                        SELECT DISTINCT tenant_id, subscription_id, metric, day, dimension_key, unique_value FROM usage_events
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day = :day AND counted AND unique_value IS NOT NULL""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("day", day).execute();
        h.createUpdate("DELETE FROM usage_values WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day = :day")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("day", day).execute();
        h.createUpdate("""
                        INSERT INTO usage_values (tenant_id, subscription_id, metric, day, dimension_key, value, events)
                        SELECT tenant_id, subscription_id, metric, day, dimension_key, quantity, count(*) FROM usage_events
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day = :day AND counted AND keep_value
                        GROUP BY tenant_id, subscription_id, metric, day, dimension_key, quantity""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("day", day).execute();
        h.createUpdate("DELETE FROM usage_daily WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day = :day")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("day", day).execute();
        h.createUpdate("""
                        INSERT INTO usage_daily (tenant_id, subscription_id, metric, day, dimension_key, quantity, events, max_quantity,
                                                 latest_at, latest_quantity)
                        SELECT tenant_id, subscription_id, metric, day, dimension_key, sum(quantity), count(*), max(quantity),
                               max(occurred_at), (array_agg(quantity ORDER BY occurred_at DESC))[1]
                        FROM usage_events
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day = :day AND counted
                        GROUP BY tenant_id, subscription_id, metric, day, dimension_key""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("day", day).execute();
    }

    @Override
    public List<DailyUsage> firstSeen(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to) {
        return tx.handle().createQuery("""
                        SELECT first_day, dimension_key, count(*) AS n FROM (
                            SELECT dimension_key, value, min(day) AS first_day FROM usage_unique
                            WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day >= :from AND day < :to
                            GROUP BY dimension_key, value) v
                        GROUP BY first_day, dimension_key ORDER BY first_day, dimension_key""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("from", from).bind("to", to)
                .map((rs, ctx) -> {
                    BigDecimal n = BigDecimal.valueOf(rs.getLong("n"));
                    return new DailyUsage(rs.getDate("first_day").toLocalDate(), rs.getString("dimension_key"), n, rs.getLong("n"), n, null, n);
                })
                .list();
    }

    @Override
    public BigDecimal timeWeightedAverage(String tenantId, String subscriptionId, String metric, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return BigDecimal.ZERO;
        }
        return tx.handle().createQuery("""
                        WITH points AS (
                            SELECT occurred_at, quantity FROM usage_events
                            WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND counted
                              AND occurred_at >= :from AND occurred_at < :to
                            UNION ALL
                            (SELECT CAST(:from AS timestamptz), quantity FROM usage_events
                             WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND counted AND occurred_at < :from
                             ORDER BY occurred_at DESC LIMIT 1)
                        ), segments AS (
                            SELECT quantity, extract(epoch FROM lead(occurred_at, 1, CAST(:to AS timestamptz)) OVER (ORDER BY occurred_at) - occurred_at) AS held
                            FROM points
                        )
                        SELECT coalesce(sum(quantity * held), 0) / extract(epoch FROM CAST(:to AS timestamptz) - CAST(:from AS timestamptz)) FROM segments""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("from", Rows.utc(from)).bind("to", Rows.utc(to))
                .mapTo(BigDecimal.class).one().setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
    }

    /**
     * Per dimension, ordered by the key's bytes ({@code COLLATE "C"}: the same on every database, whatever its locale, and
     * the order {@link #fold} gives). In a read-only transaction read once: what pricing already read for the same window
     * (these totals, or its days from {@link #daily} for a LATEST metric, then folded here) is not asked for again.
     */
    @Override
    public List<DailyUsage> totals(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to) {
        TotalRows key = new TotalRows(tenantId, subscriptionId, metric, from, to);
        List<DailyUsage> known = tx.recallWhileReadOnly(key);
        if (known != null) {
            return known;
        }
        List<DailyUsage> days = tx.recallWhileReadOnly(new DailyRows(tenantId, subscriptionId, metric, from, to));
        if (days != null) {
            return fold(days);
        }
        return tx.memoWhileReadOnly(key, k -> List.copyOf(tx.handle().createQuery("""
                        SELECT NULL::int, dimension_key, sum(quantity), sum(events), max(max_quantity), max(latest_at),
                               (array_agg(latest_quantity ORDER BY latest_at DESC))[1]
                        FROM usage_daily
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day >= :from AND day < :to
                        GROUP BY dimension_key ORDER BY dimension_key COLLATE "C"
                        """)
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("from", from).bind("to", to)
                .map(PostgresUsage::folded).list()));
    }

    /**
     * Per window and dimension the sums of quantity and events and the largest maximum, the latest value left out (null):
     * its {@code array_agg(… ORDER BY latest_at DESC)} sorted every row of the window and cost about as much PostgreSQL time
     * as the rest of the query (pgbench on the usage benchmark's 460 day rows: ~480 µs of CPU with it, ~250 µs without).
     * One query for all windows (a window per row of arrays), or for one window the plain range; each window's days before
     * a valid closed-days rollup's end come from the rollup's ~one row per dimension ({@link UsageRollups}). In a read-only
     * transaction each window's rows are remembered: a usage view prices its cost so far from them, then shows the current
     * window's totals from the same rows ({@link #sums} asked again answers from memory).
     */
    @Override
    public List<List<DailyUsage>> sums(String tenantId, String subscriptionId, String metric, List<Period> windows) {
        List<List<DailyUsage>> out = new ArrayList<>(windows.size());
        List<Period> unread = new ArrayList<>();
        for (Period w : windows) {
            List<DailyUsage> known = tx.recallWhileReadOnly(new SumRows(tenantId, subscriptionId, metric, w.start(), w.end()));
            out.add(known);
            if (known == null) {
                unread.add(w);
            }
        }
        if (unread.isEmpty()) {
            return out;
        }
        if (windows.size() == 1 && tx.readingOnly()) {
            viewed(new SumRows(tenantId, subscriptionId, metric, windows.getFirst().start(), windows.getFirst().end()));
        }
        List<List<DailyUsage>> read = unread.size() == 1 ? List.of(sumsOfWindow(tenantId, subscriptionId, metric, unread.getFirst()))
                : sumsOfWindows(tenantId, subscriptionId, metric, unread);
        for (int i = 0, r = 0; i < windows.size(); i++) {
            if (out.get(i) == null) {
                Period w = windows.get(i);
                List<DailyUsage> rows = read.get(r++);
                out.set(i, rows);
                tx.memoWhileReadOnly(new SumRows(tenantId, subscriptionId, metric, w.start(), w.end()), k -> rows);
            }
        }
        return out;
    }

    private static final PositionalSql READ_ONE = PositionalSql.of(UsageRollups.READ_ONE);

    /**
     * One window: its closed-days rollup (if valid) and the daily rows after it, in one statement ({@link UsageRollups#READ_ONE}),
     * sent as a plain PreparedStatement: every usage view and most priced windows send it, and JDBI's per-statement work
     * (binding five arguments, iterating ~20 rows) cost the view more JVM time than pgjdbc's.
     */
    private List<DailyUsage> sumsOfWindow(String tenantId, String subscriptionId, String metric, Period w) {
        try (PreparedStatement ps = tx.connection().prepareStatement(READ_ONE.sql())) {
            READ_ONE.bind(ps, Map.of("tenant", tenantId, "sub", subscriptionId, "metric", metric, "from", w.start(), "to", w.end()));
            try (ResultSet rs = ps.executeQuery()) {
                return windowRows(new SumRows(tenantId, subscriptionId, metric, w.start(), w.end()), rs);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** {@link UsageRollups#READ_ONE}'s rows for {@code window}; tells the rollups what the read found (a build may follow). */
    private List<DailyUsage> windowRows(SumRows window, ResultSet rs) throws SQLException {
        LocalDate through = null;
        List<DailyUsage> rows = new ArrayList<>();
        while (rs.next()) {
            through = rs.getObject(1, LocalDate.class);
            rows.add(summed(rs, null));
        }
        rollups.afterRead(window.tenantId(), window.subscriptionId(), window.metric(), window.from(), window.to(), through, !rows.isEmpty());
        return List.copyOf(rows);
    }

    /**
     * The window a subscription's usage view last read, by (tenant, subscription): the next view's first round trip reads
     * it ahead ({@link PostgresSubscriptions}, {@link #readAhead}) so that a view whose window has not moved is one round
     * trip, not two. Only a guess of what to read: the rows read ahead are kept under the exact key of the statement
     * that gave them, so a view whose window, metric or plan changed simply reads its own as before. Bounded: cleared
     * when full.
     */
    private final Map<ViewKey, SumRows> lastViewed = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int VIEWS_KEPT = 50_000;

    private record ViewKey(String tenantId, String subscriptionId) {
    }

    private void viewed(SumRows window) {
        ViewKey key = new ViewKey(window.tenantId(), window.subscriptionId());
        if (!window.equals(lastViewed.get(key))) {
            if (lastViewed.size() >= VIEWS_KEPT) {
                lastViewed.clear();
            }
            lastViewed.put(key, window);
        }
    }

    /** What a view of this subscription should read ahead ({@link UsageRollups#READ_ONE}'s window), or null. */
    SumRows aheadFor(String tenantId, String subscriptionId) {
        return lastViewed.get(new ViewKey(tenantId, subscriptionId));
    }

    /**
     * Keeps {@code rs}'s rows — {@link UsageRollups#READ_ONE} for {@code window}, sent in this read-only transaction's first
     * round trip — for the transaction, as {@link #sums} would have kept its own read of the same key: same statement, same
     * arguments, same transaction, one statement earlier.
     */
    void readAhead(SumRows window, ResultSet rs) throws SQLException {
        List<DailyUsage> kept = windowRows(window, rs);
        tx.memoWhileReadOnly(window, k -> kept);
    }

    private List<List<DailyUsage>> sumsOfWindows(String tenantId, String subscriptionId, String metric, List<Period> windows) {
        List<List<DailyUsage>> out = new ArrayList<>(windows.size());
        ArrayLiteral froms = new ArrayLiteral(windows.size() * 11), tos = new ArrayLiteral(windows.size() * 11);
        for (Period w : windows) {
            out.add(new ArrayList<>());
            froms.add(w.start().toString());
            tos.add(w.end().toString());
        }
        LocalDate[] through = new LocalDate[windows.size()];
        tx.handle().createQuery(UsageRollups.READ_MANY)
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("froms", froms.text()).bind("tos", tos.text())
                .map((rs, ctx) -> {
                    int i = rs.getInt(1) - 1;
                    through[i] = rs.getObject(6, LocalDate.class);
                    return Map.entry(i, summed(rs, ctx));
                })
                .forEach(e -> out.get(e.getKey()).add(e.getValue()));
        for (int i = 0; i < windows.size(); i++) {
            Period w = windows.get(i);
            rollups.afterRead(tenantId, subscriptionId, metric, w.start(), w.end(), through[i], !out.get(i).isEmpty());
        }
        return out.stream().map(List::copyOf).toList();
    }

    /** A row of the sums' SQL (by position): no day, no latest value. */
    private static DailyUsage summed(ResultSet rs, StatementContext ctx) throws SQLException {
        return new DailyUsage(null, rs.getString(2), rs.getBigDecimal(3).stripTrailingZeros(), rs.getLong(4), rs.getBigDecimal(5).stripTrailingZeros(),
                null, null);
    }

    record SumRows(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to) {
    }

    /** A row of the totals' SQL (by position: the day column is unused), as {@link #fold} would make it from the days. */
    private static DailyUsage folded(ResultSet rs, StatementContext ctx) throws SQLException {
        return new DailyUsage(null, rs.getString(2), rs.getBigDecimal(3).stripTrailingZeros(), rs.getLong(4), rs.getBigDecimal(5).stripTrailingZeros(),
                Rows.instant(rs, 6), rs.getBigDecimal(7).stripTrailingZeros());
    }

    private record TotalRows(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to) {
    }

    /** Read once per read-only transaction (a usage view's pricing and its totals ask for the same days). */
    @Override
    public List<DailyUsage> daily(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to) {
        return tx.memoWhileReadOnly(new DailyRows(tenantId, subscriptionId, metric, from, to), k -> List.copyOf(tx.handle().createQuery("""
                        SELECT day, dimension_key, quantity, events, max_quantity, latest_at, latest_quantity FROM usage_daily
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day >= :from AND day < :to
                        ORDER BY day, dimension_key""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("from", from).bind("to", to)
                // by position, and the day as a LocalDate (no Calendar): a view maps a row per day and dimension, ~1,000 a month
                .map((rs, ctx) -> new DailyUsage(rs.getObject(1, LocalDate.class), rs.getString(2),
                        rs.getBigDecimal(3).stripTrailingZeros(), rs.getLong(4), rs.getBigDecimal(5).stripTrailingZeros(),
                        Rows.instant(rs, 6), rs.getBigDecimal(7).stripTrailingZeros()))
                .list()));
    }

    private record DailyRows(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to) {
    }

    /**
     * {@link #totals}' SQL done on daily rows: per dimension the sums of quantity and events, the largest maximum, and the
     * latest value with its instant; ordered by the key's code points, as {@code COLLATE "C"} orders UTF-8 bytes.
     */
    static List<DailyUsage> fold(List<DailyUsage> days) {
        Map<String, DailyUsage> byKey = new HashMap<>();
        for (DailyUsage d : days) {
            byKey.merge(d.dimensionKey(), new DailyUsage(null, d.dimensionKey(), d.quantity(), d.events(), d.maxQuantity(), d.latestAt(), d.latestQuantity()),
                    (a, b) -> {
                        boolean later = b.latestAt() != null && (a.latestAt() == null || b.latestAt().isAfter(a.latestAt()));
                        return new DailyUsage(null, a.dimensionKey(), a.quantity().add(b.quantity()).stripTrailingZeros(), a.events() + b.events(),
                                a.maxQuantity().max(b.maxQuantity()), later ? b.latestAt() : a.latestAt(), later ? b.latestQuantity() : a.latestQuantity());
                    });
        }
        return byKey.values().stream().sorted((a, b) -> byCodePoints(a.dimensionKey(), b.dimensionKey())).toList();
    }

    /** UTF-8 byte order: UTF-16 order except where a surrogate (a code point above U+FFFF) meets a char from U+E000 up. */
    static int byCodePoints(String a, String b) {
        for (int i = 0; i < Math.min(a.length(), b.length()); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return Character.isSurrogate(x) || Character.isSurrogate(y)
                        ? Integer.compare(a.codePointAt(i), b.codePointAt(i)) : Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    @Override
    public Map<UsageWindow, List<DailyUsage>> totals(String tenantId, List<UsageWindow> windows) {
        return byWindow(tenantId, windows, """
                SELECT q.ord, NULL::date AS day, d.dimension_key, sum(d.quantity) AS quantity, sum(d.events) AS events,
                       max(d.max_quantity) AS max_quantity, max(d.latest_at) AS latest_at,
                       (array_agg(d.latest_quantity ORDER BY d.latest_at DESC))[1] AS latest_quantity
                FROM unnest(CAST(:subs AS text[]), CAST(:metrics AS text[]), CAST(:froms AS date[]), CAST(:tos AS date[]))
                     WITH ORDINALITY AS q(subscription_id, metric, from_day, to_day, ord)
                JOIN usage_daily d ON d.tenant_id = :tenant AND d.subscription_id = q.subscription_id AND d.metric = q.metric
                     AND d.day >= q.from_day AND d.day < q.to_day
                GROUP BY q.ord, d.dimension_key ORDER BY q.ord, d.dimension_key""");
    }

    @Override
    public Map<UsageWindow, List<DailyUsage>> daily(String tenantId, List<UsageWindow> windows) {
        return byWindow(tenantId, windows, """
                SELECT q.ord, d.day, d.dimension_key, d.quantity, d.events, d.max_quantity, d.latest_at, d.latest_quantity
                FROM unnest(CAST(:subs AS text[]), CAST(:metrics AS text[]), CAST(:froms AS date[]), CAST(:tos AS date[]))
                     WITH ORDINALITY AS q(subscription_id, metric, from_day, to_day, ord)
                JOIN usage_daily d ON d.tenant_id = :tenant AND d.subscription_id = q.subscription_id AND d.metric = q.metric
                     AND d.day >= q.from_day AND d.day < q.to_day
                ORDER BY q.ord, d.day, d.dimension_key""");
    }

    /** Runs a query over many windows at once (one row of arrays per window, numbered by ord) and files its rows by window. */
    private Map<UsageWindow, List<DailyUsage>> byWindow(String tenantId, List<UsageWindow> windows, String sql) {
        Map<UsageWindow, List<DailyUsage>> out = new HashMap<>();
        if (windows.isEmpty()) {
            return out;
        }
        ArrayLiteral subs = new ArrayLiteral(windows.size() * 24), metrics = new ArrayLiteral(windows.size() * 16);
        ArrayLiteral froms = new ArrayLiteral(windows.size() * 11), tos = new ArrayLiteral(windows.size() * 11);
        for (UsageWindow w : windows) {
            subs.add(w.subscriptionId());
            metrics.add(w.metric());
            froms.add(w.from().toString());
            tos.add(w.to().toString());
            out.put(w, new ArrayList<>());
        }
        tx.handle().createQuery(sql).bind("tenant", tenantId).bind("subs", subs.text()).bind("metrics", metrics.text())
                .bind("froms", froms.text()).bind("tos", tos.text())
                .map((rs, ctx) -> Map.entry(windows.get(rs.getInt("ord") - 1), new DailyUsage(
                        rs.getDate("day") == null ? null : rs.getDate("day").toLocalDate(), rs.getString("dimension_key"),
                        rs.getBigDecimal("quantity").stripTrailingZeros(), rs.getLong("events"), rs.getBigDecimal("max_quantity").stripTrailingZeros(),
                        Rows.instant(rs, "latest_at"), rs.getBigDecimal("latest_quantity").stripTrailingZeros())))
                .forEach(e -> out.get(e.getKey()).add(e.getValue()));
        return out;
    }

    @Override
    public List<MovedUsage> movedSince(Instant since) {
        return tx.handle().createQuery("""
                        SELECT DISTINCT tenant_id, subscription_id, metric FROM usage_daily WHERE received_at >= :since""")
                .bind("since", Rows.utc(since))
                .map((rs, ctx) -> new MovedUsage(rs.getString("tenant_id"), rs.getString("subscription_id"), rs.getString("metric"))).list();
    }

    @Override
    public List<MovedUsage> usedSince(String tenantId, Collection<String> subscriptionIds, LocalDate since) {
        if (subscriptionIds.isEmpty()) {
            return List.of();
        }
        return tx.handle().createQuery("""
                        SELECT DISTINCT subscription_id, metric FROM usage_daily
                        WHERE tenant_id = :tenant AND subscription_id = ANY(:subs) AND day >= :since""")
                .bind("tenant", tenantId)
                .bindArray("subs", String.class, subscriptionIds.toArray(new String[0]))
                .bind("since", since)
                .map((rs, ctx) -> new MovedUsage(tenantId, rs.getString("subscription_id"), rs.getString("metric"))).list();
    }

    @Override
    public List<DailyUsage> transactions(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to) {
        return tx.handle().createQuery("""
                        WITH v AS (
                            SELECT day, dimension_key, value, events FROM usage_values
                            WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND day >= :from AND day < :to
                        ), kept AS (
                            SELECT day, dimension_key, sum(value * events) AS quantity, sum(events) AS events FROM v GROUP BY day, dimension_key
                        )
                        SELECT day, dimension_key, value * events AS quantity, events FROM v
                        UNION ALL
                        -- events stored before their metric kept values: one group per day at their average amount
                        SELECT d.day, d.dimension_key, d.quantity - coalesce(k.quantity, 0), d.events - coalesce(k.events, 0) FROM usage_daily d
                        LEFT JOIN kept k ON k.day = d.day AND k.dimension_key = d.dimension_key
                        WHERE d.tenant_id = :tenant AND d.subscription_id = :sub AND d.metric = :metric AND d.day >= :from AND d.day < :to
                          AND d.events > coalesce(k.events, 0)
                        ORDER BY 1, 2, 3""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("from", from).bind("to", to)
                .map((rs, ctx) -> {
                    BigDecimal q = rs.getBigDecimal("quantity").stripTrailingZeros();
                    return new DailyUsage(rs.getDate("day").toLocalDate(), rs.getString("dimension_key"), q, rs.getLong("events"), q, null, q);
                })
                .list();
    }

    @Override
    public void correctUnit(String tenantId, String eventId, String unitId, String unitOp) {
        tx.handle().createUpdate("UPDATE usage_events SET unique_value = :unit, unit_op = :op WHERE " + BY_ID)
                .bind("unit", unitId).bind("op", unitOp).bind("tenant", tenantId).bind("id", eventId).execute();
    }

    @Override
    public BigDecimal unitsHeld(String tenantId, String subscriptionId, String metric, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return BigDecimal.ZERO;
        }
        // a unit is held from an add until its next event (whatever it is): the state is the last operation, so a repeated
        // add or a remove of a unit not held changes nothing, and the order the events arrived in does not matter
        return tx.handle().createQuery("""
                        WITH ops AS (
                            SELECT unit_op, occurred_at,
                                   lead(occurred_at) OVER (PARTITION BY unique_value ORDER BY occurred_at, event_id) AS next_at
                            FROM usage_events
                            WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND unit_op IS NOT NULL AND counted
                              AND occurred_at < :to
                        )
                        SELECT coalesce(sum(extract(epoch FROM least(coalesce(next_at, CAST(:to AS timestamptz)), CAST(:to AS timestamptz))
                                                      - greatest(occurred_at, CAST(:from AS timestamptz)))), 0)
                               / extract(epoch FROM CAST(:to AS timestamptz) - CAST(:from AS timestamptz))
                        FROM ops WHERE unit_op = 'add' AND coalesce(next_at, CAST(:to AS timestamptz)) > :from""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("from", Rows.utc(from)).bind("to", Rows.utc(to))
                .mapTo(BigDecimal.class).one().setScale(12, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}

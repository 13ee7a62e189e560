package dev.accrue.adapters.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closed-days rollups of usage_daily (issue 18 point 4): per (subscription, metric, window start) the window's sums per
 * dimension over its days before {@code through_day}, so that a read of a long window adds ~20 rolled-up rows to the
 * last days' rows instead of summing every day row (the usage benchmark: 23 days × 20 dimensions = 460 rows).
 *
 * <p>Exact, never stale, with no lock between writers and builders:
 * <ul>
 * <li>Every change to usage_daily of a day before {@code D − 1} (D the writer's system UTC day: ingestion's receivedAt)
 *     bumps {@code usage_past_versions.version} of its (subscription, metric) in the same transaction
 *     ({@link #CLOSED_DAYS_BEFORE}); recomputeDay (corrections, cancellations) always bumps it. Real-time ingestion
 *     (today's and yesterday's events) bumps nothing: no per-event cost.</li>
 * <li>A build reads the version and the daily rows in ONE statement (one snapshot) and covers days before
 *     {@code through_day ≤ D − 2} (D the builder's system UTC day). A change it missed (committed after its snapshot)
 *     either bumped the version — the head no longer counts — or was dated on or after its writer's {@code D − 1}: to
 *     fall before the build's {@code through_day} too, the writer's transaction must have stayed open across two UTC
 *     midnights (more than a day; statement and transaction timeouts make that impossible). Clocks of different nodes
 *     must agree within a day; test clocks do not take part (event days are compared with the system day only).</li>
 * <li>A read ({@link #READ_ONE}, {@link #READ_MANY}) is one statement too: it takes a head only if its version equals
 *     the current version (0 when none) and it ends inside the window, then adds the daily rows from its
 *     {@code through_day}; otherwise the daily rows of the whole window, as before.</li>
 * </ul>
 * Builds are asked for only by reads in read-only units ({@link JdbiTransactions#readOnly}; usage views, read again and again), run on one
 * background thread per node (never in the request), at most once per window every {@link #REBUILD_AFTER_NANOS};
 * billing runs and previews use valid heads but never ask for one (a closed period is billed once).
 */
public final class UsageRollups {
    private static final Logger LOG = LoggerFactory.getLogger(UsageRollups.class);
    /** Ingestion bumps the version for events dated before (its system UTC day − this). */
    static final int CLOSED_DAYS_BEFORE = 1;
    /** A build covers days before (its system UTC day − this): one day more than {@link #CLOSED_DAYS_BEFORE}. */
    static final int ROLLED_DAYS_BEFORE = 2;
    /** A rollup of fewer days saves too little to be worth its rows. */
    private static final int MIN_DAYS = 2;
    /** A window whose closed days keep changing (a client sending days late) is rebuilt at most this often. */
    private static final long REBUILD_AFTER_NANOS = 1_000_000_000L;
    private static final int MAX_PENDING = 10_000;

    /**
     * The current version of (tenant, sub, metric): 0 when no closed day ever changed. A head counts only at this
     * version and when it ends inside the window ({@code through_day ≤ :to}).
     */
    private static final String VALID_HEAD = """
            h.tenant_id = :tenant AND h.subscription_id = :sub AND h.metric = :metric
            AND h.version = coalesce((SELECT p.version FROM usage_past_versions p
                                      WHERE p.tenant_id = :tenant AND p.subscription_id = :sub AND p.metric = :metric), 0)""";

    /** One window: column 1 the head's through_day (null without a valid head), then dimension, sums, max; byte order. */
    static final String READ_ONE = """
            WITH h AS MATERIALIZED (
                SELECT h.through_day, h.version FROM usage_rollup_heads h
                WHERE %s AND h.from_day = :from AND h.through_day <= :to
            )
            SELECT (SELECT through_day FROM h), dimension_key, sum(quantity), sum(events), max(max_quantity) FROM (
                SELECT r.dimension_key, r.quantity, r.events, r.max_quantity FROM h
                JOIN usage_rollup_rows r ON r.tenant_id = :tenant AND r.subscription_id = :sub AND r.metric = :metric
                     AND r.from_day = :from AND r.through_day = h.through_day AND r.version = h.version
                UNION ALL
                SELECT dimension_key, quantity, events, max_quantity FROM usage_daily
                WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric
                  AND day >= coalesce((SELECT through_day FROM h), CAST(:from AS date)) AND day < :to
            ) p
            GROUP BY dimension_key ORDER BY dimension_key COLLATE "C"
            """.formatted(VALID_HEAD);

    /** Several windows (a row of arrays each, numbered by ord): ord, dimension, sums, max, then the window's head through_day. */
    static final String READ_MANY = """
            WITH q AS MATERIALIZED (
                SELECT * FROM unnest(CAST(:froms AS date[]), CAST(:tos AS date[])) WITH ORDINALITY AS q(from_day, to_day, ord)
            ), h AS MATERIALIZED (
                SELECT q.ord, q.from_day, h.through_day, h.version FROM q
                JOIN usage_rollup_heads h ON h.from_day = q.from_day AND h.through_day <= q.to_day
                WHERE %s
            )
            SELECT p.ord::int, p.dimension_key, sum(p.quantity), sum(p.events), max(p.max_quantity),
                   (SELECT h.through_day FROM h WHERE h.ord = p.ord)
            FROM (
                SELECT h.ord, r.dimension_key, r.quantity, r.events, r.max_quantity FROM h
                JOIN usage_rollup_rows r ON r.tenant_id = :tenant AND r.subscription_id = :sub AND r.metric = :metric
                     AND r.from_day = h.from_day AND r.through_day = h.through_day AND r.version = h.version
                UNION ALL
                SELECT q.ord, d.dimension_key, d.quantity, d.events, d.max_quantity FROM q
                LEFT JOIN h ON h.ord = q.ord
                JOIN usage_daily d ON d.tenant_id = :tenant AND d.subscription_id = :sub AND d.metric = :metric
                     AND d.day >= coalesce(h.through_day, q.from_day) AND d.day < q.to_day
            ) p
            GROUP BY p.ord, p.dimension_key ORDER BY p.ord, p.dimension_key COLLATE "C"
            """.formatted(VALID_HEAD);

    /**
     * One statement, one snapshot: the version and the daily rows it rolls up are read together. Its own rows carry its
     * (through_day, version); the window's other rows go. Two builders may race (two nodes): the head names one build's
     * rows, both exact at their version, and a head at an older version than the current one is simply not used.
     */
    private static final String BUILD = """
            WITH v AS MATERIALIZED (
                SELECT coalesce((SELECT p.version FROM usage_past_versions p
                                 WHERE p.tenant_id = :tenant AND p.subscription_id = :sub AND p.metric = :metric), 0) AS version
            ), head AS (
                INSERT INTO usage_rollup_heads (tenant_id, subscription_id, metric, from_day, through_day, version, built_at)
                SELECT :tenant, :sub, :metric, :from, :through, version, :at FROM v
                ON CONFLICT (tenant_id, subscription_id, metric, from_day) DO UPDATE SET
                    through_day = EXCLUDED.through_day, version = EXCLUDED.version, built_at = EXCLUDED.built_at
            ), fresh AS (
                INSERT INTO usage_rollup_rows (tenant_id, subscription_id, metric, from_day, through_day, version, dimension_key,
                                               quantity, events, max_quantity)
                SELECT :tenant, :sub, :metric, :from, :through, v.version, d.dimension_key, sum(d.quantity), sum(d.events), max(d.max_quantity)
                FROM usage_daily d, v
                WHERE d.tenant_id = :tenant AND d.subscription_id = :sub AND d.metric = :metric AND d.day >= :from AND d.day < :through
                GROUP BY v.version, d.dimension_key
                ON CONFLICT DO NOTHING
            )
            DELETE FROM usage_rollup_rows r USING v
            WHERE r.tenant_id = :tenant AND r.subscription_id = :sub AND r.metric = :metric AND r.from_day = :from
              AND (r.through_day <> :through OR r.version <> v.version)""";

    /** Bumps the version of (sub, metric) in the caller's transaction: a closed day of it changed. */
    static final String BUMP = """
            INSERT INTO usage_past_versions (tenant_id, subscription_id, metric, version) VALUES (:tenant, :sub, :metric, 1)
            ON CONFLICT (tenant_id, subscription_id, metric) DO UPDATE SET version = usage_past_versions.version + 1""";

    private final JdbiTransactions tx;
    private final Clock clock;
    private final Map<Window, LocalDate> pending = new ConcurrentHashMap<>();
    private final Map<Window, Long> builtAt = new ConcurrentHashMap<>();
    private volatile ExecutorService builder;

    /** {@code clock} null: reads use the heads they find, and no build is ever asked for. */
    UsageRollups(JdbiTransactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    /** The first day of usage_daily whose change bumps the version, for writes at system UTC day {@code today}. */
    static LocalDate closedBefore(LocalDate today) {
        return today.minusDays(CLOSED_DAYS_BEFORE);
    }

    private record Window(String tenantId, String subscriptionId, String metric, LocalDate from) {
    }

    /**
     * After a read of window [from, to) that found a head ending at {@code through} (null: none valid): in a READ ONLY
     * transaction (a view), asks for a build when a longer or a valid one would now be possible. Never blocks.
     */
    void afterRead(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to, LocalDate through, boolean anyRows) {
        if (clock == null || !anyRows || !tx.readingOnly()) {
            return;
        }
        LocalDate target = target(from, to);
        if (target == null || (through != null && !through.isBefore(target))) {
            return;
        }
        Window w = new Window(tenantId, subscriptionId, metric, from);
        Long last = builtAt.get(w);
        if (last != null && System.nanoTime() - last < REBUILD_AFTER_NANOS || pending.size() >= MAX_PENDING
                || pending.putIfAbsent(w, to) != null) {
            return;
        }
        try {
            builder().execute(() -> {
                LocalDate upTo = pending.remove(w);
                try {
                    build(w.tenantId(), w.subscriptionId(), w.metric(), w.from(), upTo);
                } catch (RuntimeException e) {
                    LOG.warn("usage rollup of {} {} {} from {} not built: {}", w.tenantId(), w.subscriptionId(), w.metric(), w.from(), e.toString());
                } finally {
                    if (builtAt.size() > MAX_PENDING) {
                        builtAt.clear();
                    }
                    builtAt.put(w, System.nanoTime());
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(w);
        }
    }

    /** The end of the rollup a build at this moment may make for window [from, to); null when too short to be worth it. */
    private LocalDate target(LocalDate from, LocalDate to) {
        LocalDate limit = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(ROLLED_DAYS_BEFORE);
        LocalDate through = to.isBefore(limit) ? to : limit;
        return from.plusDays(MIN_DAYS).isAfter(through) ? null : through;
    }

    /**
     * Builds (or extends) the rollup of window [from, to) up to what the clock allows now; false when too short. The day
     * limit is taken from the clock before the statement's snapshot, so it is never later than the snapshot's day.
     */
    public boolean build(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to) {
        LocalDate through = target(from, to);
        if (through == null) {
            return false;
        }
        tx.autoCommit(() -> tx.handle().createUpdate(BUILD).bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric)
                .bind("from", from).bind("through", through).bind("at", Rows.utc(clock.instant())).execute());
        return true;
    }

    private ExecutorService builder() {
        ExecutorService b = builder;
        if (b == null) {
            synchronized (this) {
                if (builder == null) {
                    // one thread, gone when idle: a node that stopped (tests start several) keeps none
                    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "accrue-usage-rollups");
                        t.setDaemon(true);
                        return t;
                    });
                    pool.allowCoreThreadTimeOut(true);
                    builder = pool;
                }
                b = builder;
            }
        }
        return b;
    }

    /**
     * Stops the builder: pending builds are dropped (the next view asks again), a build in progress is given 5 s to
     * finish — the node closes its database pool next, and a build reading through a closed pool would only fail.
     */
    public void close() {
        ExecutorService b = builder;
        if (b != null) {
            b.shutdownNow();
            try {
                b.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

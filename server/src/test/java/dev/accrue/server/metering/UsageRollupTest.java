package dev.accrue.server.metering;

import dev.accrue.adapters.postgres.JdbiTransactions;
import dev.accrue.adapters.postgres.PostgresUsage;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.core.time.Period;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.Unique;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closed-days rollups (UsageRollups, issue 18 point 4) attacked: whatever changes usage_daily after a rollup was built
 * — a backdated event, a correction or cancellation, an event committed after a build's snapshot, another node — the
 * next read of the window gives exactly what the day rows alone give. The system day is 2026-03-20 here: days before
 * 2026-03-18 roll up, events dated before 2026-03-19 bump the version.
 */
class UsageRollupTest {
    private static final Instant NOW = Instant.parse("2026-03-20T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final LocalDate FROM = LocalDate.parse("2026-03-01");
    private static final LocalDate TO = LocalDate.parse("2026-04-01");
    private static final Period WINDOW = new Period(FROM, TO);
    private static final String SUB = "sub_r";
    private static final String METRIC = "m";

    private final Jdbi jdbi = TestNode.get().accrue().database().jdbi();
    private final JdbiTransactions tx = new JdbiTransactions(jdbi);
    private final PostgresUsage usage = new PostgresUsage(tx, CLOCK);
    private final String tenant = "t_rollup_" + Unique.suffix();
    /** A second node: its own transactions and its own rollup builder on the same database. */
    private final JdbiTransactions otherTx = new JdbiTransactions(jdbi);
    private final PostgresUsage other = new PostgresUsage(otherTx, CLOCK);

    @Test
    void aRollupReadsAsItsDaysAndIsWhatTheReadUses() {
        seed(usage, "a", 1, 20);
        List<String> days = fromDays(WINDOW);
        assertThat(usage.rollups().build(tenant, SUB, METRIC, FROM, TO)).isTrue();
        assertThat(headThrough(FROM)).as("days before the system day - 2").isEqualTo(LocalDate.parse("2026-03-18"));
        assertThat(read(usage, WINDOW)).isEqualTo(days).hasSize(3);

        // not vacuous: the read takes the rolled-up rows (tampered here), not the days
        jdbi.useHandle(h -> h.execute("UPDATE usage_rollup_rows SET quantity = quantity + 1000 WHERE tenant_id = ?", tenant));
        assertThat(read(usage, WINDOW)).isNotEqualTo(days);
        jdbi.useHandle(h -> h.execute("UPDATE usage_rollup_rows SET quantity = quantity - 1000 WHERE tenant_id = ?", tenant));
        assertThat(read(usage, WINDOW)).isEqualTo(days);
    }

    @Test
    void aBackdatedEventAfterARollupShowsInTheNextRead() {
        seed(usage, "a", 1, 20);
        usage.rollups().build(tenant, SUB, METRIC, FROM, TO);
        List<String> before = read(usage, WINDOW);
        tx.run(() -> usage.insert(tenant, List.of(event("late", "2026-03-05", "7", "d1")), NOW));
        assertThat(read(usage, WINDOW)).isEqualTo(fromDays(WINDOW)).isNotEqualTo(before);
    }

    @Test
    void eventsOfTheLastDaysLeaveTheRollupValidAndAreReadFromTheirDays() {
        seed(usage, "a", 1, 20);
        usage.rollups().build(tenant, SUB, METRIC, FROM, TO);
        long version = version();
        tx.run(() -> usage.insert(tenant, List.of(event("d-1", "2026-03-19", "6", "d2"), event("d-0", "2026-03-20", "7", "d4")), NOW));
        assertThat(version()).as("real-time ingestion (today, yesterday) bumps nothing").isEqualTo(version);
        assertThat(headThrough(FROM)).isEqualTo(LocalDate.parse("2026-03-18"));
        assertThat(read(usage, WINDOW)).isEqualTo(fromDays(WINDOW)).anyMatch(r -> r.startsWith("d4 "));
        // the day before yesterday is not rolled up yet but is closed: a build an hour from now may roll it up
        tx.run(() -> usage.insert(tenant, List.of(event("d-2", "2026-03-18", "5", "d1")), NOW));
        assertThat(version()).isEqualTo(version + 1);
        assertThat(read(usage, WINDOW)).isEqualTo(fromDays(WINDOW));
    }

    @Test
    void aCorrectionOrCancellationOfARolledUpDayShowsInTheNextRead() {
        seed(usage, "a", 1, 20);
        usage.rollups().build(tenant, SUB, METRIC, FROM, TO);
        List<String> before = read(usage, WINDOW);
        tx.run(() -> {
            usage.correct(tenant, "a-3", new BigDecimal("1000"), "d9", true, Map.of(), NOW);
            usage.recomputeDay(tenant, SUB, METRIC, LocalDate.parse("2026-03-03"));
        });
        List<String> corrected = read(usage, WINDOW);
        assertThat(corrected).isEqualTo(fromDays(WINDOW)).isNotEqualTo(before);

        usage.rollups().build(tenant, SUB, METRIC, FROM, TO);
        tx.run(() -> {
            usage.cancel(tenant, "a-3", NOW);
            usage.recomputeDay(tenant, SUB, METRIC, LocalDate.parse("2026-03-03"));
        });
        assertThat(read(usage, WINDOW)).isEqualTo(fromDays(WINDOW)).isNotEqualTo(corrected).isNotEqualTo(before);
    }

    /**
     * The race the versions exist for: a build's snapshot taken while a backdated event is stored but not committed
     * rolls up the days without it; the event's commit then makes that rollup stale, and the read must not use it.
     */
    @Test
    void aBuildThatMissedABackdatedEventStillCommittingIsNotUsed() throws Exception {
        seed(usage, "a", 1, 20);
        CountDownLatch stored = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> tx.run(() -> {
            usage.insert(tenant, List.of(event("racing", "2026-03-04", "11", "d1")), NOW);
            stored.countDown();
            await(commit);
        }));
        assertThat(stored.await(30, TimeUnit.SECONDS)).isTrue();
        List<String> withoutIt = fromDays(WINDOW);
        assertThat(usage.rollups().build(tenant, SUB, METRIC, FROM, TO)).as("the build does not wait for the writer").isTrue();
        assertThat(read(usage, WINDOW)).isEqualTo(withoutIt);
        commit.countDown();
        writer.get(30, TimeUnit.SECONDS);

        assertThat(read(usage, WINDOW)).isEqualTo(fromDays(WINDOW)).isNotEqualTo(withoutIt);
        usage.rollups().build(tenant, SUB, METRIC, FROM, TO);
        assertThat(read(usage, WINDOW)).isEqualTo(fromDays(WINDOW));
    }

    /** Two nodes on one database: each reads what the other wrote and built, and builds racing each other stay exact. */
    @Test
    void twoNodesReadEachOthersWritesAndBuilds() throws Exception {
        seed(usage, "a", 1, 20);
        usage.rollups().build(tenant, SUB, METRIC, FROM, TO);
        other.rollups().build(tenant, SUB, METRIC, FROM, TO);
        otherTx.run(() -> other.insert(tenant, List.of(event("b-late", "2026-03-02", "3", "d2")), NOW));
        assertThat(read(usage, WINDOW)).isEqualTo(fromDays(WINDOW));
        for (int i = 0; i < 5; i++) {
            int n = i;
            CompletableFuture<Boolean> one = CompletableFuture.supplyAsync(() -> usage.rollups().build(tenant, SUB, METRIC, FROM, TO));
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> otherTx.run(
                    () -> other.insert(tenant, List.of(event("b-" + n, "2026-03-0" + (n + 2), "1", "d3")), NOW)));
            CompletableFuture<Boolean> two = CompletableFuture.supplyAsync(() -> other.rollups().build(tenant, SUB, METRIC, FROM, TO));
            CompletableFuture.allOf(one, write, two).exceptionally(e -> null).get(30, TimeUnit.SECONDS);
            assertThat(read(usage, WINDOW)).as("round " + n).isEqualTo(fromDays(WINDOW));
            assertThat(read(other, WINDOW)).as("round " + n).isEqualTo(fromDays(WINDOW));
        }
    }

    /**
     * Several windows in one read: a head is taken only for its own window start and when it ends inside the window (a
     * month-long rollup says nothing about the first week alone); windows without a head read their days.
     */
    @Test
    void severalWindowsInOneReadEachTakeOnlyTheirOwnValidRollup() {
        seed(usage, "a", 1, 20);
        Period firstWeek = new Period(FROM, FROM.plusDays(7));
        Period secondWeek = new Period(FROM.plusDays(7), FROM.plusDays(14));
        Period rest = new Period(FROM.plusDays(14), TO);
        usage.rollups().build(tenant, SUB, METRIC, FROM, TO);
        usage.rollups().build(tenant, SUB, METRIC, secondWeek.start(), secondWeek.end());
        assertThat(headThrough(secondWeek.start())).isEqualTo(secondWeek.end());
        List<Period> windows = List.of(firstWeek, secondWeek, rest, WINDOW);
        List<List<String>> expected = windows.stream().map(this::fromDays).toList();
        assertThat(tx.readOnly(() -> usage.sums(tenant, SUB, METRIC, windows)).stream().map(UsageRollupTest::text).toList()).isEqualTo(expected);
        tx.run(() -> usage.insert(tenant, List.of(event("late", "2026-03-09", "4", "d1")), NOW));
        assertThat(tx.inTransaction(() -> usage.sums(tenant, SUB, METRIC, windows)).stream().map(UsageRollupTest::text).toList())
                .isEqualTo(windows.stream().map(this::fromDays).toList()).isNotEqualTo(expected);
    }

    /** Billing runs and previews (writing transactions) use rollups but never ask for one; a view does, in the background. */
    @Test
    void onlyAReadOnlyReadAsksForARollup() throws Exception {
        seed(usage, "a", 1, 20);
        tx.inTransaction(() -> usage.sums(tenant, SUB, METRIC, List.of(WINDOW)));
        Thread.sleep(500);
        assertThat(headThrough(FROM)).isNull();
        read(usage, WINDOW);
        long until = System.nanoTime() + 20_000_000_000L;
        while (headThrough(FROM) == null) {
            assertThat(System.nanoTime()).as("built in the background").isLessThan(until);
            Thread.sleep(50);
        }
        assertThat(headThrough(FROM)).isEqualTo(LocalDate.parse("2026-03-18"));
        assertThat(read(usage, WINDOW)).isEqualTo(fromDays(WINDOW));
    }

    /** Events "a-1", "a-1-1", "a-1-2" … on days 1..N of March, 3 dimensions, quantities with decimals; stored as ingestion stores them. */
    private void seed(PostgresUsage into, String prefix, int firstDay, int lastDay) {
        List<MeteredEvent> events = new ArrayList<>();
        for (int d = firstDay; d <= lastDay; d++) {
            for (int k = 0; k < 3; k++) {
                events.add(event(prefix + "-" + d + (k == 0 ? "" : "-" + k), "2026-03-%02d".formatted(d), d + "." + k + "5", "d" + k));
            }
        }
        tx.run(() -> into.insert(tenant, events, NOW));
    }

    private static MeteredEvent event(String id, String day, String quantity, String dimension) {
        LocalDate d = LocalDate.parse(day);
        return new MeteredEvent(id, "cus_r", SUB, METRIC, d.atTime(12, 0).toInstant(ZoneOffset.UTC), d, new BigDecimal(quantity), dimension, true,
                Map.of(), false, null);
    }

    private List<String> read(PostgresUsage from, Period window) {
        JdbiTransactions its = from == usage ? tx : otherTx;
        return text(its.readOnly(() -> from.sums(tenant, SUB, METRIC, List.of(window)).getFirst()));
    }

    private static List<String> text(List<UsageRepository.DailyUsage> rows) {
        return rows.stream().map(r -> r.dimensionKey() + " " + r.quantity().toPlainString() + " " + r.events() + " " + r.maxQuantity().toPlainString()
                + " " + r.quantity().scale()).toList();
    }

    /** What the day rows alone give, as the sums' text. */
    private List<String> fromDays(Period window) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT dimension_key, sum(quantity), sum(events), max(max_quantity) FROM usage_daily
                        WHERE tenant_id = :t AND subscription_id = :s AND metric = :m AND day >= :from AND day < :to
                        GROUP BY dimension_key ORDER BY dimension_key COLLATE "C\"""")
                .bind("t", tenant).bind("s", SUB).bind("m", METRIC).bind("from", window.start()).bind("to", window.end())
                .map((rs, ctx) -> {
                    BigDecimal q = rs.getBigDecimal(2).stripTrailingZeros();
                    return rs.getString(1) + " " + q.toPlainString() + " " + rs.getLong(3) + " " + rs.getBigDecimal(4).stripTrailingZeros().toPlainString()
                            + " " + q.scale();
                }).list());
    }

    private LocalDate headThrough(LocalDate from) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT through_day FROM usage_rollup_heads WHERE tenant_id = :t AND subscription_id = :s AND metric = :m AND from_day = :from""")
                .bind("t", tenant).bind("s", SUB).bind("m", METRIC).bind("from", from).mapTo(LocalDate.class).findOne().orElse(null));
    }

    private long version() {
        return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(max(version), 0) FROM usage_past_versions WHERE tenant_id = :t")
                .bind("t", tenant).mapTo(Long.class).one());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.accrue.server.metering;

import dev.accrue.server.support.Unique;
import dev.accrue.adapters.postgres.JdbiTransactions;
import dev.accrue.adapters.postgres.PostgresUsage;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.core.time.Period;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A usage view reads a window's day rows once for its pricing and folds its per-dimension totals from them in a
 * read-only transaction (issue 18 point 4): the fold must give exactly what the totals query gives — sums, largest
 * maximum, latest value, and the keys in the same (byte) order, also for keys a locale would order differently and
 * characters beyond U+FFFF, whose UTF-16 order is not their UTF-8 order.
 */
class UsageTotalsFoldTest {
    private static final List<String> KEYS = List.of("b", "a|z", "a=1", "A", "", "é", "e", "\uD83D\uDE00", "\uFF5A", "direction=inbound",
            "direction_x", "Direction=inbound");

    @Test
    void foldedTotalsAreExactlyTheTotalsQuery() {
        Jdbi jdbi = TestNode.get().accrue().database().jdbi();
        JdbiTransactions tx = new JdbiTransactions(jdbi);
        PostgresUsage usage = new PostgresUsage(tx);
        String tenant = "t_fold_" + Unique.suffix();
        LocalDate first = LocalDate.parse("2026-03-01");
        seed(jdbi, tenant, first, 5);
        LocalDate from = first.plusDays(1);
        LocalDate to = first.plusDays(5);
        List<UsageRepository.DailyUsage> queried = tx.inTransaction(() -> usage.totals(tenant, "sub_fold", "m", from, to));
        List<UsageRepository.DailyUsage> folded = tx.readOnly(() -> {
            List<UsageRepository.DailyUsage> days = usage.daily(tenant, "sub_fold", "m", from, to);
            assertThat(usage.daily(tenant, "sub_fold", "m", from, to)).as("read once per read-only transaction").isSameAs(days);
            return usage.totals(tenant, "sub_fold", "m", from, to);
        });

        assertThat(queried).hasSize(KEYS.size());
        assertThat(folded).containsExactlyElementsOf(queried);
    }

    /**
     * Pricing reads a SUM, COUNT or MAX metric per allowance window and dimension (several windows in one query, the latest
     * value left out): each window's rows are the totals query's of that window but for the latest value, empty windows
     * included, one window alone reads the same, and a read-only transaction answers windows it read without asking again.
     */
    @Test
    void sumsOfSeveralWindowsAreEachWindowsTotals() {
        Jdbi jdbi = TestNode.get().accrue().database().jdbi();
        JdbiTransactions tx = new JdbiTransactions(jdbi);
        PostgresUsage usage = new PostgresUsage(tx);
        String tenant = "t_windows_" + Unique.suffix();
        LocalDate first = LocalDate.parse("2026-03-01");
        seed(jdbi, tenant, first, 9);
        List<Period> windows = List.of(new Period(first, first.plusDays(3)), new Period(first.plusDays(3), first.plusDays(5)),
                new Period(first.plusDays(5), first.plusDays(9)), new Period(first.plusDays(20), first.plusDays(30)));
        Period later = new Period(first.plusDays(1), first.plusDays(6));
        List<List<UsageRepository.DailyUsage>> each = java.util.stream.Stream.concat(windows.stream(), java.util.stream.Stream.of(later))
                .map(w -> tx.inTransaction(() -> usage.totals(tenant, "sub_fold", "m", w.start(), w.end())).stream()
                        .map(UsageTotalsFoldTest::withoutLatest).toList()).toList();
        List<List<UsageRepository.DailyUsage>> together = tx.inTransaction(() -> usage.sums(tenant, "sub_fold", "m", windows));

        assertThat(together).containsExactlyElementsOf(each.subList(0, windows.size()));
        assertThat(together.get(3)).as("a window without usage").isEmpty();
        assertThat(together.get(0)).hasSize(KEYS.size());
        assertThat(tx.inTransaction(() -> usage.sums(tenant, "sub_fold", "m", List.of(windows.get(2))))).as("one window alone")
                .containsExactly(each.get(2));
        tx.readOnly(() -> {
            List<List<UsageRepository.DailyUsage>> read = usage.sums(tenant, "sub_fold", "m", windows);
            assertThat(usage.sums(tenant, "sub_fold", "m", List.of(windows.get(1))).getFirst()).as("remembered").isSameAs(read.get(1));
            List<List<UsageRepository.DailyUsage>> mixed = usage.sums(tenant, "sub_fold", "m", List.of(windows.get(0), later));
            assertThat(mixed.get(0)).as("remembered beside a window read now").isSameAs(read.get(0));
            assertThat(mixed.get(1)).isEqualTo(each.get(4));
            return null;
        });
    }

    private static UsageRepository.DailyUsage withoutLatest(UsageRepository.DailyUsage d) {
        return new UsageRepository.DailyUsage(null, d.dimensionKey(), d.quantity(), d.events(), d.maxQuantity(), null, null);
    }

    private static void seed(Jdbi jdbi, String tenant, LocalDate first, int days) {
        jdbi.useHandle(h -> {
            for (int day = 0; day < days; day++) {
                for (int k = 0; k < KEYS.size(); k++) {
                    if ((day + k) % 4 == 3) {
                        continue; // not every key every day
                    }
                    h.createUpdate("""
                            INSERT INTO usage_daily (tenant_id, subscription_id, metric, day, dimension_key, quantity, events, max_quantity, latest_at, latest_quantity)
                            VALUES (:t, 'sub_fold', 'm', :day, :key, :q, :events, :max, :latest, :latestQ)""")
                            .bind("t", tenant).bind("day", first.plusDays(day)).bind("key", KEYS.get(k))
                            .bind("q", new BigDecimal((day * 37 + k * 11) % 50 + "." + (k * 7 % 10) + "00000001"))
                            .bind("events", day + k + 1).bind("max", new BigDecimal((day * 13 + k * 5) % 40 + ".5"))
                            // the latest value of a key is not always on its last day
                            .bind("latest", Instant.parse("2026-03-01T00:00:00Z").plusSeconds(86_400L * day + (k % 3 == 0 ? -3_600L * day * day : 60L * k)))
                            .bind("latestQ", new BigDecimal(day * 100 + k)).execute();
                }
            }
        });
    }

    @Test
    void aReadOnlyTransactionRefusesWrites() {
        JdbiTransactions tx = new JdbiTransactions(TestNode.get().accrue().database().jdbi());
        assertThatThrownBy(() -> tx.readOnly(() -> tx.handle().execute("CREATE TEMP TABLE never_here (x int)")))
                .hasMessageContaining("read-only");
    }
}

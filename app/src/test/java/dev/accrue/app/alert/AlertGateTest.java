package dev.accrue.app.alert;

import dev.accrue.app.alert.AlertGate.Follow;
import dev.accrue.app.alert.AlertGate.Verdict;
import dev.accrue.app.alert.UsageAlertEvaluator.Key;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator's gate: a key is due when its estimated usage reaches the next threshold, never later — including
 * usage told while a pass reads it — and on what it cannot follow by adding (a new day or window, a stale read).
 */
class AlertGateTest {
    private static final Key KEY = new Key("ten", "sub", "call_seconds");
    private static final LocalDate TODAY = LocalDate.parse("2026-06-10");
    private static final LocalDate WINDOW_END = LocalDate.parse("2026-07-01");
    private final AtomicLong nanos = new AtomicLong();
    private final AlertGate gate = new AlertGate(nanos::get);

    private static BigDecimal n(long v) {
        return BigDecimal.valueOf(v);
    }

    private Verdict move(long sum, long max, LocalDate day) {
        return gate.moved(KEY, n(sum), n(max), day);
    }

    @Test
    void aKeyItKnowsNothingOfIsDue() {
        assertThat(move(1, 1, TODAY)).isEqualTo(Verdict.DUE);
        gate.reading(KEY);
        gate.install(KEY, n(40), n(100), WINDOW_END, TODAY, Follow.ADD);
        gate.forget(KEY);
        assertThat(move(1, 1, TODAY)).as("after a failed read").isEqualTo(Verdict.DUE);
    }

    @Test
    void anAddedUpMetricIsDueExactlyWhenItsEstimateReachesTheNextThreshold() {
        gate.reading(KEY);
        assertThat(gate.install(KEY, n(40), n(100), WINDOW_END, TODAY, Follow.ADD)).isFalse();
        assertThat(move(30, 10, TODAY)).isEqualTo(Verdict.NONE);
        assertThat(move(29, 10, TODAY)).as("99 of 100").isEqualTo(Verdict.NONE);
        assertThat(move(1, 1, TODAY)).as("100 of 100").isEqualTo(Verdict.DUE);
    }

    @Test
    void usageToldWhileAPassReadsCountsOnTopOfWhatItRead() {
        gate.reading(KEY);
        assertThat(move(70, 70, TODAY)).as("the install decides").isEqualTo(Verdict.NONE);
        assertThat(gate.install(KEY, n(40), n(100), WINDOW_END, TODAY, Follow.ADD)).as("40 read + 70 told").isTrue();
        gate.reading(KEY);
        move(50, 50, TODAY);
        assertThat(gate.install(KEY, n(40), n(100), WINDOW_END, TODAY, Follow.ADD)).isFalse();
        assertThat(move(10, 10, TODAY)).as("40 + 50 + 10").isEqualTo(Verdict.DUE);
    }

    @Test
    void aMaximumIsComparedNotAdded() {
        gate.reading(KEY);
        gate.install(KEY, n(5), n(10), WINDOW_END, TODAY, Follow.MAX);
        assertThat(move(90, 9, TODAY)).isEqualTo(Verdict.NONE);
        assertThat(move(10, 10, TODAY)).isEqualTo(Verdict.DUE);
    }

    @Test
    void whatCannotBeFollowedIsDueOnEveryMove() {
        gate.reading(KEY);
        gate.install(KEY, n(5), n(1_000), WINDOW_END, TODAY, Follow.EVERY_MOVE);
        assertThat(move(1, 1, TODAY)).isEqualTo(Verdict.DUE);
        assertThat(move(1, 1, TODAY)).isEqualTo(Verdict.DUE);
    }

    @Test
    void aLaterDayOrAnotherWindowIsDue() {
        gate.reading(KEY);
        gate.install(KEY, n(5), n(1_000), WINDOW_END, TODAY, Follow.ADD);
        assertThat(move(1, 1, TODAY)).isEqualTo(Verdict.NONE);
        assertThat(move(1, 1, TODAY.minusDays(3))).as("late usage of an earlier day").isEqualTo(Verdict.NONE);
        assertThat(move(1, 1, TODAY.plusDays(1))).as("a new day: the projection has a new completed day").isEqualTo(Verdict.DUE);
        gate.reading(KEY);
        gate.install(KEY, n(5), null, WINDOW_END, WINDOW_END.minusDays(1), Follow.ADD);
        assertThat(move(1, 1, WINDOW_END)).as("the next window").isEqualTo(Verdict.DUE);
    }

    @Test
    void withNothingLeftToReachAKeyIsOnlyReadAgainWhenItsReadIsStale() {
        gate.reading(KEY);
        gate.install(KEY, n(5_000), null, WINDOW_END, TODAY, Follow.ADD);
        assertThat(move(1_000_000, 1, TODAY)).isEqualTo(Verdict.NONE);
        nanos.addAndGet(AlertGate.REFRESH.toNanos() + 1);
        assertThat(move(1, 1, TODAY)).as("another node's usage, a rule changed elsewhere").isEqualTo(Verdict.REFRESH);
    }
}

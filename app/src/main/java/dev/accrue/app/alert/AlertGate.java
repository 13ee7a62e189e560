package dev.accrue.app.alert;

import dev.accrue.app.alert.UsageAlertEvaluator.Key;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides, in memory and per usage run, whether a (subscription, metric) that took usage is worth an evaluation pass.
 *
 * <p>After each evaluation of a key the gate keeps what the pass read: the window's usage, the usage at which the next
 * threshold not yet reached lies (over every audience: plan, customer, users), and the window's end. Each run of usage
 * ingestion then tells adds its quantity to that usage (sum, count) or takes the larger (max) — one comparison —
 * and the key is due only when the estimate reaches the next threshold, the usage is dated in a later window or a
 * later day (projections look at completed days), or the key was last read more than {@link #REFRESH} ago. So a
 * customer far from its thresholds costs no database work however fast it sends usage.
 *
 * <p>Nothing here decides that an alert fires: an evaluation reads the stored state and {@code fired_alerts} decides
 * once per window. The gate may only say "due" too often, never too rarely, within these bounds:
 * <ul>
 * <li>its state is reset <em>before</em> the pass reads ({@link #reading}): usage whose listener call comes after the
 * reset adds to the estimate, and usage whose call came before had committed before the read (the listener runs after
 * the commit; an authorization's in-transaction usage is caught by the evaluator's second look a second later);</li>
 * <li>what it cannot follow by adding — distinct counts, latest values, gauges, units held — and the customers whose
 * every move matters (budgets, priced in money) are due on every move, as they were before the gate;</li>
 * <li>usage another node ingested, a rule or plan changed elsewhere: seen at the next read, at most {@link #REFRESH}
 * after the key last moved here;</li>
 * <li>a key it knows nothing of (a node that just started, a failed read, a state dropped to bound memory) is due.</li>
 * </ul>
 */
final class AlertGate {
    /** A key that keeps moving is read again at least this often, whatever its estimate says. */
    static final Duration REFRESH = Duration.ofSeconds(5);
    /** Beyond this many keys the states are dropped (every key is then due at its next usage, once). */
    private static final int MAX_STATES = 200_000;

    /** What the evaluator is to do with a key after a usage run. */
    enum Verdict { NONE, DUE, REFRESH }

    /** How a key's usage is followed between reads. */
    enum Follow { ADD, MAX, EVERY_MOVE }

    /**
     * One key's state, changed in place under its own lock: a usage run costs a lock-free lookup and an uncontended
     * lock, not a map bin's lock and a new state. While a pass reads it ({@code reading}), {@code estimate} holds only
     * the sum told since the read began; {@code toldMax} is the largest quantity told since then, {@code moves} the runs
     * told. A state replaced or removed from the map is {@code detached}: a run that found it looks the key up again,
     * so that no run is told to a state the gate no longer keeps.
     */
    private static final class State {
        private boolean detached;
        private boolean reading;
        private long readAt;
        private BigDecimal estimate = BigDecimal.ZERO;
        private BigDecimal toldMax = BigDecimal.ZERO;
        private int moves;
        private LocalDate lastDay;
        private Follow follow;
        private BigDecimal next;
        private LocalDate windowEnd;
        private LocalDate today;

        private State(boolean reading, long readAt) {
            this.reading = reading;
            this.readAt = readAt;
        }

        private void told(BigDecimal sum, BigDecimal max, LocalDate day) {
            estimate = reading || follow == Follow.ADD ? estimate.add(sum) : follow == Follow.MAX ? estimate.max(max) : estimate;
            toldMax = toldMax.max(max);
            moves++;
            lastDay = later(lastDay, day);
        }

        private boolean due() {
            return follow == Follow.EVERY_MOVE
                    || next != null && estimate.compareTo(next) >= 0
                    || lastDay != null && (windowEnd != null && !lastDay.isBefore(windowEnd) || today != null && lastDay.isAfter(today));
        }
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a == null || b != null && b.isAfter(a) ? b : a;
    }

    private final Map<Key, State> states = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    AlertGate() {
        this(System::nanoTime);
    }

    /** {@code nanoTime}: the monotonic time the refresh is measured with (a test moves it). */
    AlertGate(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Tells one run of a key's usage: the sum of its quantities, the largest, the latest day it is dated. Called by
     * ingestion threads after the usage committed.
     */
    Verdict moved(Key key, BigDecimal sum, BigDecimal max, LocalDate day) {
        long now = nanoTime.getAsLong();
        while (true) {
            State s = states.get(key);
            if (s == null) {
                return Verdict.DUE;
            }
            synchronized (s) {
                if (s.detached) {
                    continue; // replaced or dropped meanwhile: tell what the gate keeps now
                }
                s.told(sum, max, day);
                if (s.reading) {
                    return Verdict.NONE; // the install decides
                }
                if (s.due()) {
                    return Verdict.DUE;
                }
                return now - s.readAt > REFRESH.toNanos() ? Verdict.REFRESH : Verdict.NONE;
            }
        }
    }

    /** A pass is about to read the key: from now on what ingestion tells is counted on top of what the pass reads. */
    void reading(Key key) {
        if (states.size() >= MAX_STATES) {
            states.keySet().forEach(this::forget);
        }
        detach(states.put(key, new State(true, nanoTime.getAsLong())));
    }

    /**
     * The pass read the key: {@code used} in the window ending {@code windowEnd} (exclusive; null: follow nothing but
     * the refresh) on {@code today}, the next threshold at {@code next} (null: none left). Returns whether what was told
     * during the read already makes it due.
     */
    boolean install(Key key, BigDecimal used, BigDecimal next, LocalDate windowEnd, LocalDate today, Follow follow) {
        while (true) {
            State s = states.get(key);
            if (s == null) {
                s = new State(false, nanoTime.getAsLong());
                if (states.putIfAbsent(key, s) != null) {
                    continue;
                }
            }
            synchronized (s) {
                if (s.detached) {
                    continue;
                }
                boolean read = s.reading;
                if (!read) {
                    s.readAt = nanoTime.getAsLong();
                    s.moves = 0;
                    s.lastDay = null;
                }
                s.estimate = follow == Follow.MAX ? used.max(read ? s.toldMax : BigDecimal.ZERO) : used.add(read ? s.estimate : BigDecimal.ZERO);
                s.toldMax = BigDecimal.ZERO;
                s.reading = false;
                s.follow = follow;
                s.next = next;
                s.windowEnd = windowEnd;
                s.today = today;
                return s.moves > 0 && s.due();
            }
        }
    }

    /** The read failed or found nothing to follow: the key's next usage makes it due. */
    void forget(Key key) {
        detach(states.remove(key));
    }

    private static void detach(State s) {
        if (s != null) {
            synchronized (s) {
                s.detached = true;
            }
        }
    }

    int size() {
        return states.size();
    }
}

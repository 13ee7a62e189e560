package dev.accrue.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Warms a server that runs in this JVM until the JIT has settled: rounds of load run until one round adds less than
 * {@link #SETTLED_MS} of compilation time. One warm-up request leaves C2 compiling for a minute or more of the
 * measured window (a fifth of all CPU samples 40–55 s into an ingestion run), a cost a server that has been up for
 * a while does not pay; the figure after this warm-up is the steady state's, and the warm-up itself is printed.
 */
final class CompiledWarmUp {
    /** Compilation time one round may still add: under this, what compiles now is rare paths. */
    static final long SETTLED_MS = 100;
    private static final Duration MAX = Duration.ofSeconds(120);

    private CompiledWarmUp() {
    }

    /** A round of warm-up load; returns the units (events, requests) it sent. */
    interface Round {
        long run();
    }

    /** Runs rounds until compilation settles (or {@link #MAX}); prints what it took. */
    static void untilSettled(Round round, String unit) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long started = System.nanoTime();
        long units = 0;
        int rounds = 0;
        long before = jit.getTotalCompilationTime();
        long added;
        do {
            units += round.run();
            rounds++;
            long now = jit.getTotalCompilationTime();
            added = now - before;
            before = now;
        } while ((added >= SETTLED_MS || rounds < 2) && System.nanoTime() - started < MAX.toNanos());
        System.out.printf("  warm-up: %d %s in %d rounds, %.1f s, until a round added %d ms of JIT compilation (< %d ms: settled%s)%n", units, unit, rounds,
                (System.nanoTime() - started) / 1e9, added, SETTLED_MS, added < SETTLED_MS ? "" : " — NOT settled, cut at " + MAX.toSeconds() + " s");
    }
}

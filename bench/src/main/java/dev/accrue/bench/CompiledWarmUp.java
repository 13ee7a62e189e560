package dev.accrue.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Warms a server until its JIT has settled: rounds of load run until, in two rounds in a row, the JIT compiler threads
 * used at most 1 % of the round's time in CPU. A fixed warm-up leaves C2 compiling through the measured window — a
 * fifth of all CPU samples 40–55 s into an ingestion run, a third of the authorization benchmark's JVM figure — which a
 * server up for a while does not pay. The compilers' CPU (/proc, {@link ThreadCpu#compilerMillis}) is the measure, not
 * {@code CompilationMXBean}'s total: that is elapsed time, counted when a compilation ends, inflated on a busy machine
 * and blind to a long C2 compilation under way.
 */
final class CompiledWarmUp {
    private static final Duration MAX = Duration.ofMinutes(3);
    private static final int QUIET_ROUNDS = 2;

    private CompiledWarmUp() {
    }

    /** A round of warm-up load (a few seconds). */
    interface Round {
        void run() throws Exception;
    }

    /** The JIT compiler threads' CPU so far, in ms. */
    interface CompilerCpu {
        long millis() throws IOException;
    }

    /** This JVM's compiler threads: for a server running in the benchmark's own process. */
    static final CompilerCpu HERE = ThreadCpu::compilerMillis;

    /** Runs rounds until the JIT settles (or {@link #MAX}); answers what it took, for the benchmark's output. */
    static String untilSettled(Round round, CompilerCpu compiler) {
        try {
            long started = System.nanoTime();
            long jitStart = compiler.millis();
            long jit = jitStart;
            long grew;
            double allowed;
            int rounds = 0;
            int quiet = 0;
            do {
                long roundStart = System.nanoTime();
                round.run();
                rounds++;
                long now = compiler.millis();
                grew = now - jit;
                jit = now;
                allowed = (System.nanoTime() - roundStart) / 1e6 / 100;
                quiet = grew <= allowed ? quiet + 1 : 0;
            } while (quiet < QUIET_ROUNDS && System.nanoTime() - started < MAX.toNanos());
            return String.format("warm-up until the JIT settled: %.0f s, %d rounds, JIT threads' CPU %d ms, %d ms in the last round (%s)",
                    (System.nanoTime() - started) / 1e9, rounds, jit - jitStart, grew,
                    quiet >= QUIET_ROUNDS ? "≤ 1 % of a round twice in a row" : "NOT settled, cut at " + MAX.toMinutes() + " min");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("warm-up failed", e);
        }
    }
}

package dev.accrue.bench;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * How long work waits for a CPU inside the server JVM, sampled every 5 ms while a run is measured: a virtual thread's
 * delay from {@code start()} to its first instruction (the wait for one of the virtual-thread scheduler's carriers —
 * what each request pays at every hand-off: the selector's read to its handler, a database answer back to the waiting
 * thread, a group leader's wake-up), and a platform thread's oversleep of a 1 ms park (the operating system's run queue).
 * Neither is in the server's request histogram; both are in what a client sees.
 */
final class SchedulingProbe {
    private static final int MAX = 100_000;
    private final long[] virtualWaits = new long[MAX];
    private final long[] oversleeps = new long[MAX];
    private volatile boolean running = true;
    private int samples;
    private final Thread sampler;

    SchedulingProbe() {
        sampler = Thread.ofPlatform().daemon().name("bench-scheduling-probe").start(this::sample);
    }

    private void sample() {
        while (running && samples < MAX) {
            long parked = System.nanoTime();
            LockSupport.parkNanos(1_000_000L);
            long woke = System.nanoTime();
            long[] ran = new long[1];
            Thread vt = Thread.ofVirtual().start(() -> ran[0] = System.nanoTime());
            try {
                vt.join();
            } catch (InterruptedException e) {
                return;
            }
            virtualWaits[samples] = ran[0] - woke;
            oversleeps[samples] = woke - parked - 1_000_000L;
            samples++;
            LockSupport.parkNanos(4_000_000L);
        }
    }

    /** Stops sampling and answers the percentiles, one line. */
    String stop() throws InterruptedException {
        running = false;
        sampler.join();
        long[] v = Arrays.copyOf(virtualWaits, samples);
        long[] o = Arrays.copyOf(oversleeps, samples);
        Arrays.sort(v);
        Arrays.sort(o);
        return String.format("server JVM scheduling (%d samples): virtual thread start→run p50 %.2f p90 %.2f p99 %.2f max %.2f ms; "
                        + "platform thread oversleep of 1 ms p50 %.2f p90 %.2f p99 %.2f max %.2f ms", samples, at(v, 0.5), at(v, 0.9), at(v, 0.99),
                at(v, 1), at(o, 0.5), at(o, 0.9), at(o, 0.99), at(o, 1));
    }

    private static double at(long[] sorted, double q) {
        return LatencyRun.nearestRankMs(sorted, q);
    }
}

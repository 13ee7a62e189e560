package dev.accrue.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs N requests from C concurrent clients and reports throughput and latency percentiles, in one of two
 * modes:
 * <ul>
 * <li><b>closed loop</b> ({@link #closedLoop}): each client sends its next request as soon as the previous
 * one is answered. This measures maximum throughput; its latency is only C / throughput (Little's law),
 * not what a caller would see at a given load.</li>
 * <li><b>open loop</b> ({@link #openLoop}): request i is due at {@code start + i / rate}, whatever happened
 * to earlier requests, the way a phone system asks as calls arrive. A free client sends it at its due time;
 * latency is measured from that <em>intended</em> send time, not from when a client got round to sending
 * it (coordinated-omission correction), so a stalled server — or all C clients busy — shows up in the
 * percentiles instead of silently lowering the offered rate.</li>
 * </ul>
 */
final class LatencyRun {
    interface Request {
        void send(int index) throws Exception;
    }

    final long[] sorted;
    final double seconds;
    /** Offered rate per second in open-loop mode; 0 in closed-loop mode. */
    final double targetRate;

    private LatencyRun(long[] sorted, double seconds, double targetRate) {
        this.sorted = sorted;
        this.seconds = seconds;
        this.targetRate = targetRate;
    }

    /** Closed loop: {@code clients} back-to-back senders. */
    static LatencyRun of(int total, int clients, Request request) throws Exception {
        return closedLoop(total, clients, request);
    }

    /** Open loop when {@code rate > 0}, closed loop when {@code rate == 0}. */
    static LatencyRun of(int total, int clients, double rate, Request request) throws Exception {
        return rate > 0 ? openLoop(total, clients, rate, request) : closedLoop(total, clients, request);
    }

    static LatencyRun closedLoop(int total, int clients, Request request) throws Exception {
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        run(clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < total) {
                long t0 = System.nanoTime();
                request.send(i);
                latencies[i] = System.nanoTime() - t0;
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(latencies);
        return new LatencyRun(latencies, seconds, 0);
    }

    static LatencyRun openLoop(int total, int clients, double rate, Request request) throws Exception {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be > 0");
        }
        long[] latencies = new long[total];
        long[] taken = new long[total]; // how late a client took the request (all clients busy until then)
        long[] woken = new long[total]; // how late the client that took it in time woke to send it (the generator's own scheduling)
        AtomicInteger next = new AtomicInteger();
        double intervalNanos = 1e9 / rate;
        long started = System.nanoTime() + 10_000_000L; // a little slack so every client is parked before the first is due
        run(clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < total) {
                long intended = started + (long) (i * intervalNanos);
                long took = System.nanoTime();
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long sent = System.nanoTime();
                request.send(i);
                latencies[i] = System.nanoTime() - intended; // from the intended, not the actual, send time
                taken[i] = Math.max(0, took - intended);
                woken[i] = sent - Math.max(took, intended);
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] roundTrips = new long[total];
        for (int i = 0; i < total; i++) {
            roundTrips[i] = latencies[i] - taken[i] - woken[i];
        }
        LAST_SPLIT = String.format("of which: taken late (all clients busy) p99 %.2f max %.2f; woken late to send p50 %.2f p99 %.2f max %.2f; "
                        + "round trip from the actual send p50 %.2f p90 %.2f p99 %.2f ms",
                pct(taken, 0.99), pct(taken, 1), pct(woken, 0.5), pct(woken, 0.99), pct(woken, 1), pct(roundTrips, 0.5), pct(roundTrips, 0.9),
                pct(roundTrips, 0.99));
        if (System.getenv("BENCH_TIMELINE") != null) { // where in the run the slow requests were: worst latency per second of schedule
            int perSecond = (int) Math.max(1, rate);
            StringBuilder line = new StringBuilder("  worst ms per second of schedule:");
            for (int from = 0; from < total; from += perSecond) {
                long worst = 0;
                for (int i = from; i < Math.min(total, from + perSecond); i++) {
                    worst = Math.max(worst, latencies[i]);
                }
                line.append(' ').append(worst / 1_000_000);
            }
            System.out.println(line);
        }
        Arrays.sort(latencies);
        return new LatencyRun(latencies, seconds, rate);
    }

    /** The last open-loop run's latency split: late to be taken, late to be sent, round trip (for the benchmark's output). */
    static volatile String LAST_SPLIT = "";

    private static double pct(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return nearestRankMs(sorted, q);
    }

    /** The nearest-rank percentile {@code q} (0–1) of nanoseconds sorted ascending, in ms; 0 when there are none. */
    static double nearestRankMs(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] / 1e6;
    }

    private interface Client {
        void run() throws Exception;
    }

    private static void run(int clients, Client client) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    client.run();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    /** Requests completed per second: the achieved rate (below the target when the server cannot keep up). */
    double perSecond() {
        return sorted.length / seconds;
    }

    double percentileMs(double q) {
        return nearestRankMs(sorted, q);
    }

    String mode() {
        return targetRate > 0 ? String.format("open loop at %.0f requests/s, latency from intended send time", targetRate)
                : "closed loop (back-to-back), latency from actual send time";
    }

    String summary() {
        return String.format("%.0f requests/s achieved; latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", perSecond(), percentileMs(0.50),
                percentileMs(0.90), percentileMs(0.99), sorted[sorted.length - 1] / 1e6);
    }
}

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
        return closedLoop(total, clients, request, true);
    }

    /** Open loop when {@code rate > 0}, closed loop when {@code rate == 0}. */
    static LatencyRun of(int total, int clients, double rate, Request request) throws Exception {
        return rate > 0 ? openLoop(total, clients, rate, request, true) : closedLoop(total, clients, request, true);
    }

    static LatencyRun closedLoop(int total, int clients, Request request) throws Exception {
        return closedLoop(total, clients, request, false);
    }

    /** {@code measured}: the run a benchmark reports (BENCH_SLOW prints its slow requests), not a warm-up. */
    private static LatencyRun closedLoop(int total, int clients, Request request, boolean measured) throws Exception {
        long[] latencies = new long[total];
        long[] sentAt = new long[total];
        AtomicInteger next = new AtomicInteger();
        long wallStart = System.currentTimeMillis();
        long started = System.nanoTime();
        run(clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < total) {
                long t0 = System.nanoTime();
                request.send(i);
                latencies[i] = System.nanoTime() - t0;
                sentAt[i] = t0 - started;
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        if (measured) {
            printSlow(latencies, sentAt, wallStart);
        }
        Arrays.sort(latencies);
        return new LatencyRun(latencies, seconds, 0);
    }

    static LatencyRun openLoop(int total, int clients, double rate, Request request) throws Exception {
        return openLoop(total, clients, rate, request, false);
    }

    private static LatencyRun openLoop(int total, int clients, double rate, Request request, boolean measured) throws Exception {
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
        long[] dueAt = new long[total];
        for (int i = 0; i < total; i++) {
            dueAt[i] = (long) (i * intervalNanos) + 10_000_000L;
        }
        if (measured) {
            printSlow(latencies, dueAt, System.currentTimeMillis() - (long) (seconds * 1000) - 10);
        }
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

    /**
     * With {@code BENCH_SLOW=1}: when in the run the requests at or above its p99 started (ms from the run's start,
     * whose wall-clock time is printed to match a server's GC log or PostgreSQL's), grouped into bursts of requests that
     * started within 20 ms of each other: a tail made of a few bursts is stalls (a pause, a background task), one spread
     * evenly over the run is queueing.
     */
    private static void printSlow(long[] latencies, long[] startNanos, long wallStartMillis) {
        if (System.getenv("BENCH_SLOW") == null) {
            return;
        }
        long p99 = (long) (nearestRankMs(sortedCopy(latencies), 0.99) * 1e6);
        List<long[]> slow = new ArrayList<>(); // {start ns, latency ns}
        for (int i = 0; i < latencies.length; i++) {
            if (latencies[i] >= p99) {
                slow.add(new long[] {startNanos[i], latencies[i]});
            }
        }
        slow.sort((a, b) -> Long.compare(a[0], b[0]));
        StringBuilder out = new StringBuilder(String.format("  requests ≥ p99 (%.2f ms): %d, run started %s; bursts (start ms +span ms: count, worst ms):",
                p99 / 1e6, slow.size(), java.time.Instant.ofEpochMilli(wallStartMillis)));
        int from = 0;
        for (int i = 1; i <= slow.size(); i++) {
            if (i == slow.size() || slow.get(i)[0] - slow.get(i - 1)[0] > 20_000_000L) {
                long worst = 0;
                for (int j = from; j < i; j++) {
                    worst = Math.max(worst, slow.get(j)[1]);
                }
                out.append(String.format(" %d+%d:%d,%.1f", slow.get(from)[0] / 1_000_000, (slow.get(i - 1)[0] - slow.get(from)[0]) / 1_000_000,
                        i - from, worst / 1e6));
                from = i;
            }
        }
        System.out.println(out);
    }

    private static long[] sortedCopy(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted;
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

    /** The run-queue waits of the client threads of the last run ({@link RunQueue}). */
    private static RunQueue clientsQueued = RunQueue.NONE;

    static synchronized RunQueue lastClientsQueued() {
        return clientsQueued;
    }

    /**
     * The clients' threads, kept from one run to the next (idle ones are reused), and with them each client's kept-alive
     * connection (the benchmarks keep one per thread). A pool per run started every measured run with as many new
     * threads and new TCP connections as clients — at 2,000 checks/s with 64 clients, the first ~300 ms of a run were
     * connects, thread starts and the server's first requests on new connections, and the requests queued behind them
     * made most of the run's p99 (issue 18 point 3): a cost no caller with kept-alive connections pays.
     */
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-client");
        t.setDaemon(true);
        return t;
    });

    private static void run(int clients, Client client) throws Exception {
        synchronized (LatencyRun.class) {
            clientsQueued = RunQueue.NONE;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(CLIENTS.submit(() -> {
                RunQueue before = RunQueue.ofThisThread();
                try {
                    client.run();
                } finally {
                    synchronized (LatencyRun.class) {
                        clientsQueued = clientsQueued.plus(RunQueue.ofThisThread().minus(before));
                    }
                }
                return null;
            }));
        }
        Exception failed = null;
        for (Future<?> f : futures) { // every client ended before the next run, as a pool closed per run did
            try {
                f.get();
            } catch (Exception e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
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

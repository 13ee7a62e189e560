package dev.accrue.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs N requests from C concurrent clients and reports throughput and latency percentiles. */
final class LatencyRun {
    interface Request {
        void send(int index) throws Exception;
    }

    final long[] sorted;
    final double seconds;

    private LatencyRun(long[] sorted, double seconds) {
        this.sorted = sorted;
        this.seconds = seconds;
    }

    static LatencyRun of(int total, int clients, Request request) throws Exception {
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        long t0 = System.nanoTime();
                        request.send(i);
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(latencies);
        return new LatencyRun(latencies, seconds);
    }

    double perSecond() {
        return sorted.length / seconds;
    }

    double percentileMs(double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] / 1e6;
    }

    String summary() {
        return String.format("%.0f requests/s; latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", perSecond(), percentileMs(0.50),
                percentileMs(0.90), percentileMs(0.99), sorted[sorted.length - 1] / 1e6);
    }
}

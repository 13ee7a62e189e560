package dev.accrue.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code BENCH_CALL_SECONDS=S}: every granted check's call ends S seconds after it was granted — its hold committed
 * with the seconds it asked for (POST /v1/authorizations/{id}/commit, which also records the usage) by a few client
 * threads of their own, outside the measured requests' latencies. Live holds per subscription then settle near
 * rate × S / customers, as on a voice platform whose calls end, instead of growing with the warm-up's length; the
 * server's CPU per check then includes settling it (a commit per check once settled), and the checks' compared
 * balances move with every commit, as they do in production.
 */
final class CallEnds implements AutoCloseable {
    /** Enough that commits are sent when due at 2,000 calls/s (each a durable write: a few ms), unless BENCH_CALL_THREADS says otherwise. */
    private static final int THREADS = Integer.parseInt(System.getenv().getOrDefault("BENCH_CALL_THREADS", "32"));
    private final DelayQueue<Due> due = new DelayQueue<>();
    private final long callNanos;
    private final String quantity;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String firstFailure;
    /** Per commit answered: {when it was answered, ns after it was due} — late when the server (or these threads) fall behind. */
    private final java.util.concurrent.ConcurrentLinkedQueue<long[]> answered = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record Due(String authorizationId, long atNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(atNanos, ((Due) other).atNanos);
        }
    }

    private CallEnds(ServerProcess node, double seconds, String quantity) {
        this.callNanos = (long) (seconds * 1e9);
        this.quantity = quantity;
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> settle(node), "bench-call-ends-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** The call ends of {@code BENCH_CALL_SECONDS}, or null when it is not set (holds are then never settled). */
    static CallEnds fromEnvironment(ServerProcess node, String quantity) {
        String seconds = System.getenv("BENCH_CALL_SECONDS");
        if (seconds == null || seconds.isBlank()) {
            return null;
        }
        double s = Double.parseDouble(seconds);
        if (!(s > 0)) {
            throw new IllegalArgumentException("BENCH_CALL_SECONDS must be more than 0, not " + seconds);
        }
        System.out.printf("  calls end %.0f s after they are granted (BENCH_CALL_SECONDS): each hold committed with %s s of usage by %d threads of their own%n",
                s, quantity, THREADS);
        return new CallEnds(node, s, quantity);
    }

    /**
     * The calls an authorization answer (a check's, or a batch's) started: each hold it names is committed
     * {@code BENCH_CALL_SECONDS} from now. A refusal names none (its {@code authorization_id} is null).
     */
    void startedIn(String answer) {
        long at = System.nanoTime() + callNanos;
        for (int i = answer.indexOf(ID); i >= 0; i = answer.indexOf(ID, i + 1)) {
            int from = i + ID.length();
            due.add(new Due(answer.substring(from, answer.indexOf('"', from)), at));
        }
    }

    private static final String ID = "\"authorization_id\":\"";

    long committed() {
        return committed.get();
    }

    /** Commits answered since {@code sinceNanos} ({@link System#nanoTime}): how many, and p50 / p99 / max ms after they were due. */
    String latencySince(long sinceNanos) {
        long[] late = answered.stream().filter(a -> a[0] >= sinceNanos).mapToLong(a -> a[1]).sorted().toArray();
        if (late.length == 0) {
            return "no commits answered";
        }
        return String.format("%,d commits answered, ms after due: p50 %.2f  p99 %.2f  max %.2f", late.length,
                LatencyRun.nearestRankMs(late, 0.50), LatencyRun.nearestRankMs(late, 0.99), late[late.length - 1] / 1e6);
    }

    /** "N commits, F failed (first: …)" for the benchmark's output. */
    String summary() {
        return String.format("%,d commits, %d failed%s", committed.get(), failed.get(), firstFailure == null ? "" : " (first: " + firstFailure + ")");
    }

    private void settle(ServerProcess node) {
        KeepAliveHttp http = new KeepAliveHttp(node.baseUrl);
        String body = "{\"quantity\":" + quantity + "}";
        while (!Thread.currentThread().isInterrupted()) {
            Due next;
            try {
                next = due.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                KeepAliveHttp.Response r = http.post("/v1/authorizations/" + next.authorizationId() + "/commit", node.apiKey, body);
                if (r.status() == 200) {
                    long now = System.nanoTime();
                    answered.add(new long[] {now, now - next.atNanos()});
                    committed.incrementAndGet();
                } else {
                    fail(r.status() + " " + r.body());
                }
            } catch (IOException e) { // (the connection is opened again by the next request)
                fail(e.toString());
            }
        }
    }

    private void fail(String why) {
        if (failed.getAndIncrement() == 0) {
            firstFailure = why;
        }
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}

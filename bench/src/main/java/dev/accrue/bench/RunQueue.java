package dev.accrue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How long processes' threads waited on a kernel run queue (runnable, no core free), from Linux's
 * {@code /proc/<pid>/task/<tid>/schedstat}: time on a CPU, time waiting on a run queue, and the times a thread was
 * put on a CPU, in ns, summed over every thread (a PostgreSQL backend is one). On 2 cores shared by the server's
 * JVM, its PostgreSQL and the load generator, this wait is what a request's latency has beyond its CPU time; per
 * request, it says how much of a tail is the run queue (issue 18 points 3 and 4). A thread that ended between two
 * reads is lost (the pools here keep theirs).
 */
record RunQueue(long cpuNanos, long waitNanos, long slices) {
    static final RunQueue NONE = new RunQueue(0, 0, 0);

    /** Every thread of the processes, summed now. */
    static RunQueue of(Stream<ProcessHandle> processes) {
        return processes.map(p -> ofPid(p.pid())).reduce(NONE, RunQueue::plus);
    }

    static RunQueue ofSelf() {
        return ofPid(ProcessHandle.current().pid());
    }

    /** The calling (platform) thread's own. */
    static RunQueue ofThisThread() {
        try {
            String[] f = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ");
            return new RunQueue(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
        } catch (IOException | RuntimeException unreadable) {
            return NONE;
        }
    }

    private static RunQueue ofPid(long pid) {
        RunQueue sum = NONE;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String[] f = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    sum = sum.plus(new RunQueue(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while listed
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return sum;
    }

    RunQueue plus(RunQueue o) {
        return new RunQueue(cpuNanos + o.cpuNanos, waitNanos + o.waitNanos, slices + o.slices);
    }

    RunQueue minus(RunQueue o) {
        return new RunQueue(cpuNanos - o.cpuNanos, waitNanos - o.waitNanos, slices - o.slices);
    }

    String encode() {
        return cpuNanos + " " + waitNanos + " " + slices;
    }

    static RunQueue decode(String[] words, int from) {
        return new RunQueue(Long.parseLong(words[from]), Long.parseLong(words[from + 1]), Long.parseLong(words[from + 2]));
    }

    /** "wait X ms per unit (Y µs per wake-up, Z wake-ups per unit)". */
    String per(long units, String unit) {
        return String.format("%.3f ms per %s (%.0f µs per time put on a CPU, %.1f such per %s)", waitNanos / 1e6 / units, unit,
                slices == 0 ? 0.0 : waitNanos / 1e3 / slices, slices / (double) units, unit);
    }

    /**
     * Prints the run-queue wait per unit of the server's JVM, its PostgreSQL and this load generator between two reads
     * ({@code before} and {@code after} from {@link ServerProcess#runQueue()} and {@link #ofSelf()}).
     */
    static void print(RunQueue[] before, RunQueue[] after, RunQueue generatorBefore, long units, String unit) {
        System.out.printf("  run-queue wait (/proc schedstat): server JVM %s%n", after[0].minus(before[0]).per(units, unit));
        System.out.printf("    PostgreSQL %s%n", after[1].minus(before[1]).per(units, unit));
        // the clients as they counted it themselves, and the generator's other threads (the clients' threads are kept: not twice)
        RunQueue clients = LatencyRun.lastClientsQueued();
        RunQueue all = ofSelf().minus(generatorBefore);
        System.out.printf("    load generator's clients %s; its other threads %s%n", clients.per(units, unit),
                all.minus(clients).per(units, unit));
    }
}

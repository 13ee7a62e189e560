package dev.accrue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * This JVM's CPU time by kind of thread (Linux {@code /proc/self/task}: every native thread, the JIT compilers and
 * GC workers included, which no Java API reports), user and system apart — to say where a server's CPU per request
 * goes: request handling on the virtual threads' carriers ({@code ForkJoinPool-N-worker-M}), Jetty's selectors, the
 * JIT, the collector. Threads are grouped by name with digits dropped; a thread that ended between two reads is
 * lost (the pools here keep theirs).
 */
final class ThreadCpu {
    private static final long TICK_MS = 10; // USER_HZ is 100 on every Linux this runs on
    private Map<String, long[]> last = read();

    /** CPU ms per kind since the previous call (or construction), {user, system}, largest first, as printable lines. */
    String delta(long units, String unit) {
        Map<String, long[]> now = read();
        TreeMap<Long, String> lines = new TreeMap<>();
        long user = 0;
        long sys = 0;
        int tie = 0;
        for (var e : now.entrySet()) {
            long[] before = last.getOrDefault(e.getKey(), new long[2]);
            long u = e.getValue()[0] - before[0];
            long s = e.getValue()[1] - before[1];
            user += u;
            sys += s;
            if (u + s > 0) {
                lines.put(-((u + s) * 1000 + tie++ % 1000), String.format("    %-28s user %7d ms  sys %6d ms  = %.4f ms per %s", e.getKey(), u, s,
                        (u + s) / (double) units, unit));
            }
        }
        last = now;
        StringBuilder out = new StringBuilder(String.format("  server JVM CPU by thread kind (/proc, 10 ms ticks): user %d ms, system %d ms%n", user, sys));
        lines.values().forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    /** CPU ms so far of the JIT's compiler threads ("C1 CompilerThre#", "C2 CompilerThre#": /proc truncates names), user and system. */
    static long compilerMillis() {
        return read().entrySet().stream().filter(e -> e.getKey().contains("CompilerThre")).mapToLong(e -> e.getValue()[0] + e.getValue()[1]).sum();
    }

    private static Map<String, long[]> read() {
        Map<String, long[]> byKind = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String kind = stat.substring(open + 1, close).replaceAll("[0-9]+", "#");
                    String[] fields = stat.substring(close + 2).split(" ");
                    // after the name: state(0) … utime(11) stime(12)
                    long[] sum = byKind.computeIfAbsent(kind, k -> new long[2]);
                    sum[0] += Long.parseLong(fields[11]) * TICK_MS;
                    sum[1] += Long.parseLong(fields[12]) * TICK_MS;
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while listed
                }
            });
        } catch (IOException e) {
            return byKind;
        }
        return byKind;
    }
}

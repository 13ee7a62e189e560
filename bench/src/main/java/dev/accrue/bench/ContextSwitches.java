package dev.accrue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Context switches of processes' threads, from Linux's {@code /proc/<pid>/task/<tid>/status}: voluntary (the thread
 * blocked — a park, an epoll wait, a socket read with nothing to read — and was woken later) and involuntary (the
 * kernel took its core away). Each voluntary switch is a sleep and a wake-up: what a request costs in hand-offs between
 * threads and processes, which its CPU time alone does not say. Per request, open loop against closed loop, they show
 * whether a check arriving alone pays for wake-ups that checks piling up share (issue 18 point 3). Threads are
 * grouped by kind (name with digits dropped, as {@link ThreadCpu}); a thread that ended between two reads is lost.
 */
record ContextSwitches(long voluntary, long involuntary) {
    static final ContextSwitches NONE = new ContextSwitches(0, 0);

    /** A benchmark server's at one moment: its PostgreSQL's processes, and its JVM's threads by kind. */
    record Server(ContextSwitches postgres, Map<String, ContextSwitches> jvm) {
    }

    /** Every thread of the processes, summed now. */
    static ContextSwitches of(Stream<ProcessHandle> processes) {
        return processes.map(p -> byKind(p.pid()).values().stream().reduce(NONE, ContextSwitches::plus)).reduce(NONE, ContextSwitches::plus);
    }

    static ContextSwitches ofSelf() {
        return of(Stream.of(ProcessHandle.current()));
    }

    /** A process's threads by kind: the name {@code /proc} gives them (15 characters), digits as '#', spaces as '_'. */
    static Map<String, ContextSwitches> byKind(long pid) {
        Map<String, ContextSwitches> kinds = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = "?";
                    long voluntary = 0;
                    long involuntary = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("Name:")) {
                            name = line.substring(5).trim().replaceAll("[0-9]+", "#").replace(' ', '_');
                        } else if (line.startsWith("voluntary_ctxt_switches:")) {
                            voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    kinds.merge(name, new ContextSwitches(voluntary, involuntary), ContextSwitches::plus);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while listed
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return kinds;
    }

    ContextSwitches plus(ContextSwitches o) {
        return new ContextSwitches(voluntary + o.voluntary, involuntary + o.involuntary);
    }

    ContextSwitches minus(ContextSwitches o) {
        return new ContextSwitches(voluntary - o.voluntary, involuntary - o.involuntary);
    }

    /** "kind v i kind v i …" (kinds have no spaces), as the server process answers it. */
    static String encode(Map<String, ContextSwitches> kinds) {
        StringBuilder s = new StringBuilder();
        kinds.forEach((k, c) -> s.append(s.isEmpty() ? "" : " ").append(k).append(' ').append(c.voluntary).append(' ').append(c.involuntary));
        return s.toString();
    }

    static Map<String, ContextSwitches> decode(String[] words, int from) {
        Map<String, ContextSwitches> kinds = new HashMap<>();
        for (int i = from; i + 2 < words.length; i += 3) {
            kinds.put(words[i], new ContextSwitches(Long.parseLong(words[i + 1]), Long.parseLong(words[i + 2])));
        }
        return kinds;
    }

    static ContextSwitches total(Map<String, ContextSwitches> kinds) {
        return kinds.values().stream().reduce(NONE, ContextSwitches::plus);
    }

    String per(long units) {
        return String.format("%.2f + %.2f", voluntary / (double) units, involuntary / (double) units);
    }

    /**
     * Prints context switches per unit (voluntary + involuntary) of the server JVM (and its kinds of thread with at least
     * 0.05 per unit), its PostgreSQL and this load generator between two reads.
     */
    static void print(Server before, Server after, ContextSwitches generatorBefore, long units, String unit) {
        Map<String, ContextSwitches> jvmBefore = before.jvm();
        Map<String, ContextSwitches> jvmAfter = after.jvm();
        TreeMap<Long, String> kinds = new TreeMap<>();
        int tie = 0;
        for (var e : jvmAfter.entrySet()) {
            ContextSwitches d = e.getValue().minus(jvmBefore.getOrDefault(e.getKey(), NONE));
            if ((d.voluntary + d.involuntary) >= units / 20) {
                kinds.put(-((d.voluntary + d.involuntary) * 1000 + tie++ % 1000), e.getKey() + " " + d.per(units));
            }
        }
        System.out.printf("  context switches per %s (/proc status, voluntary + involuntary): server JVM %s (%s)%n", unit,
                total(jvmAfter).minus(total(jvmBefore)).per(units), String.join(", ", kinds.values()));
        System.out.printf("    PostgreSQL %s; load generator %s%n", after.postgres().minus(before.postgres()).per(units), ofSelf().minus(generatorBefore).per(units));
    }
}

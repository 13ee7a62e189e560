package dev.accrue.adapters.scheduler;

import java.time.Duration;

/**
 * Work a node repeats: {@code every} is the pause between the end of one execution and the start of the next, across
 * all nodes (one schedule in the database, not one per node). The name is the job's key in the database: keep it.
 */
public record RecurringJob(String name, Duration every, Runnable work) {
    public RecurringJob {
        if (name == null || !name.matches("[a-z][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("a job name is lowercase letters, digits and dashes: " + name);
        }
        if (every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("a job repeats after a positive pause: " + every);
        }
    }
}

package dev.accrue.app.lifecycle;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The monthly partitions of the raw usage table; every method joins the caller's transaction. */
public interface UsagePartitionRepository {
    /**
     * Creates the partition of the month starting {@code month} unless it exists (rows of that month waiting in the
     * default partition move into it); returns whether it created one.
     */
    boolean createMonth(LocalDate month);

    /**
     * Month partitions due for compaction at {@code now}, oldest first: never compacted, and ended long enough ago
     * that the retention rule may let most of their rows go (past every tenant's lateness, and the shortest retention
     * after a month-long window).
     */
    List<String> dueForCompaction(Instant now);

    /**
     * Keeps only the rows of {@code partition} the retention rule keeps, and truncates the rest away with their ids (one
     * truncation instead of a delete per row); writes to the partition wait meanwhile. Returns what it kept and dropped.
     */
    Compaction compact(String partition, Instant now);

    record Compaction(String partition, long kept, long dropped) {
    }
}

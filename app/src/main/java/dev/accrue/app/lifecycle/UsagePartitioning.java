package dev.accrue.app.lifecycle;

import dev.accrue.app.tx.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the raw usage table's monthly partitions ahead of time and compacts the old ones (issue 18 point 5): the
 * {@code usage-partitions} job creates the partitions of the previous, current and next {@code monthsAhead} months
 * (ACCRUE_USAGE_PARTITION_MONTHS_AHEAD), so ingestion never routes into the default partition on a normal day, and
 * replaces each month whose raw events may go by the few rows that stay — retention without a delete per row.
 * Each partition is created, and each compacted, in its own transaction.
 */
public final class UsagePartitioning {
    private static final Logger LOG = LoggerFactory.getLogger(UsagePartitioning.class);
    public static final String MONTHS_AHEAD = "ACCRUE_USAGE_PARTITION_MONTHS_AHEAD";
    public static final int DEFAULT_MONTHS_AHEAD = 3;
    private final Transactions tx;
    private final UsagePartitionRepository partitions;
    private final Clock clock;
    private final int monthsAhead;

    public UsagePartitioning(Transactions tx, UsagePartitionRepository partitions, Clock clock, int monthsAhead) {
        if (monthsAhead < 1 || monthsAhead > 24) {
            throw new IllegalArgumentException(MONTHS_AHEAD + " must be 1-24, got " + monthsAhead);
        }
        this.tx = tx;
        this.partitions = partitions;
        this.clock = clock;
        this.monthsAhead = monthsAhead;
    }

    /** What one run did. */
    public record Maintenance(List<LocalDate> created, List<UsagePartitionRepository.Compaction> compacted) {
    }

    public Maintenance maintain() {
        // partitions are by the customer's local day: a day east of UTC is already in the next month, hence "previous"
        LocalDate month = LocalDate.now(clock.withZone(ZoneOffset.UTC)).withDayOfMonth(1).minusMonths(1);
        List<LocalDate> created = new ArrayList<>();
        for (int i = 0; i <= monthsAhead + 1; i++) {
            LocalDate m = month.plusMonths(i);
            if (tx.inTransaction(() -> partitions.createMonth(m))) {
                created.add(m);
            }
        }
        List<UsagePartitionRepository.Compaction> compacted = new ArrayList<>();
        for (String partition : tx.inTransaction(() -> partitions.dueForCompaction(clock.instant()))) {
            var done = tx.inTransaction(() -> partitions.compact(partition, clock.instant()));
            compacted.add(done);
            LOG.info("Usage partition {} compacted: {} events kept, {} dropped", done.partition(), done.kept(), done.dropped());
        }
        if (!created.isEmpty()) {
            LOG.info("Usage partitions created for months {}", created);
        }
        return new Maintenance(created, compacted);
    }

    /** The months-ahead setting from the environment (default 3); a malformed value stops the node at boot. */
    public static int monthsAhead(Map<String, String> env) {
        String text = env.get(MONTHS_AHEAD);
        if (text == null || text.isBlank()) {
            return DEFAULT_MONTHS_AHEAD;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MONTHS_AHEAD + " must be a number of months (1-24), got '" + text + "'");
        }
    }
}

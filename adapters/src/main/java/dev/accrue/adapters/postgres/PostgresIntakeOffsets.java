package dev.accrue.adapters.postgres;

import dev.accrue.app.metering.IntakeOffsets;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

public final class PostgresIntakeOffsets implements IntakeOffsets {
    private final JdbiTransactions tx;

    public PostgresIntakeOffsets(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Map<Integer, Long> next(String topic, Collection<Integer> partitions) {
        Map<Integer, Long> next = new HashMap<>();
        if (partitions.isEmpty()) {
            return next;
        }
        tx.handle().createQuery("SELECT partition, next_offset FROM usage_intake_offsets WHERE topic = :topic AND partition = ANY(:partitions)")
                .bind("topic", topic).bindArray("partitions", Integer.class, partitions)
                .map((rs, ctx) -> Map.entry(rs.getInt("partition"), rs.getLong("next_offset"))).forEach(e -> next.put(e.getKey(), e.getValue()));
        return next;
    }

    /** In partition order (callers pass a sorted map), so two consumers briefly sharing a partition lock rows alike. */
    @Override
    public void advance(String topic, Map<Integer, Long> next) {
        var batch = tx.handle().prepareBatch("""
                INSERT INTO usage_intake_offsets (topic, partition, next_offset) VALUES (:topic, :partition, :next)
                ON CONFLICT (topic, partition) DO UPDATE SET next_offset = GREATEST(usage_intake_offsets.next_offset, EXCLUDED.next_offset),
                    updated_at = now()""");
        next.forEach((partition, offset) -> batch.bind("topic", topic).bind("partition", partition).bind("next", offset).add());
        if (!next.isEmpty()) {
            batch.execute();
        }
    }
}

package dev.accrue.app.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts this node's writes to the tables a short cache is built from (see {@code TableWriteWatch} in the PostgreSQL
 * adapter, which tells it of every such statement and again when its transaction commits). A cache entry remembers
 * the count at the moment its read began and is used only while the count is unchanged: whatever this node changed is
 * seen by its very next read, whichever use case changed it. Other nodes' writes are not counted here; such caches
 * bound them by time.
 */
public final class TableWrites {
    private final AtomicLong count = new AtomicLong();

    /** The count to remember with an entry about to be read. */
    public long current() {
        return count.get();
    }

    /** A watched table was written (or the transaction that wrote it just ended). */
    public void changed() {
        count.incrementAndGet();
    }
}

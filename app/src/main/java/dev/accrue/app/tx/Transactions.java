package dev.accrue.app.tx;

import java.util.function.Supplier;

/**
 * The one way use cases make several writes atomic. A call made while a transaction is already open on
 * this thread joins it, so an outer step (an idempotency key, a billing run) and the use case it wraps
 * commit or roll back together.
 */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);

    /** Whether this thread is inside a transaction (a call to {@link #inTransaction} would join it). */
    boolean inProgress();

    /**
     * Runs work whose every statement stands alone (an API key lookup; a compare-and-reserve statement) with
     * no explicit transaction: each statement is its own transaction, which saves the BEGIN and COMMIT round
     * trips. Joins a transaction already open on this thread. Work whose statements must commit together
     * belongs in {@link #inTransaction}.
     */
    default <T> T autoCommit(Supplier<T> work) {
        return inTransaction(work);
    }

    /**
     * Runs work that only reads (a usage view) where PostgreSQL refuses any write — on a read-only session in
     * auto-commit (the adapter's read pool: no BEGIN or COMMIT round trip), or in a READ ONLY transaction — so a
     * repository may answer a second identical read from what the first returned ({@code memoWhileReadOnly} in the
     * adapter): nothing in the unit can have changed it, and the answer describes one moment per read. Joins a
     * transaction already open on this thread (then as that transaction, without those repeated-read savings).
     */
    default <T> T readOnly(Supplier<T> work) {
        return inTransaction(work);
    }

    /**
     * Runs work in a transaction that is always rolled back: a what-if (the upcoming invoice) runs the real
     * writing code and nothing it wrote survives. Refused inside another transaction, which it would discard.
     */
    <T> T rolledBack(Supplier<T> work);

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}

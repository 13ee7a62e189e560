package dev.accrue.adapters.postgres;

/**
 * Marks a transaction as a claimed billing batch (issue 18): its invoices, their lines and its outbox events are
 * written behind ({@link JdbiTransactions#writeBehind}), one multi-row statement per kind for the whole batch instead
 * of one per invoice.
 *
 * <p>Only a batch, because only there is it safe for the outbox: the claim's {@code FOR UPDATE} row locks gave the
 * transaction its id before any event was recorded, so an event inserted later still carries that id ({@code tx_id}) and
 * a consumer, which reads only transactions older than every running one, cannot pass it; and its events keep the order
 * they were recorded in. A transaction without a claim may have no id yet when it records an event
 * (DomainEventsOutboxTest): its events are inserted when recorded.
 */
final class ClaimedBatch {
    private static final Object KEY = new Object();

    private ClaimedBatch() {
    }

    /** Called by the claim, once its row locks are taken. */
    static void claimed(JdbiTransactions tx) {
        tx.remember(KEY, Boolean.TRUE);
    }

    /** Whether the current transaction claimed a billing batch (never outside a transaction). */
    static boolean active(JdbiTransactions tx) {
        return tx.remembers(KEY);
    }
}

package dev.accrue.adapters.postgres;

import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * Per-tenant gapless number series (invoices, proformas, credit notes): the counter row is created or bumped and
 * stays locked until the calling transaction ends, so two documents never share a number and a rollback gives its
 * numbers back.
 *
 * <p>A billing batch takes its numbers as one range per tenant (issue 18): the claim says how many documents it expects
 * ({@link #expect}), the first number taken reserves that many with one statement, the rest are handed out from memory,
 * and just before commit whatever the batch did not use is given back — the row has stayed locked since the reservation,
 * so nobody numbered after it and the counter ends on the last number used: gapless. A rollback undoes the reservation
 * with everything else, so a number is assigned once, by the transaction that commits it. Without an expectation (an
 * API call, a retried single subscription) a range is one number, as before.
 */
final class GaplessCounters {
    enum Series {
        INVOICE("invoice_counters"), PROFORMA("proforma_counters"), CREDIT_NOTE("credit_note_counters");

        private final String table;

        Series(String table) {
            this.table = table;
        }
    }

    private record RangeKey(Series series, String tenantId) {
    }

    private record ExpectKey(Series series, String tenantId) {
    }

    private record GiveBackKey(Series series) {
    }

    /** Numbers reserved by this transaction: {@code next} to {@code last}, handed out in order. */
    private static final class Range {
        private final String tenantId;
        private long next;
        private final long last;

        Range(String tenantId, long first, long last) {
            this.tenantId = tenantId;
            this.next = first;
            this.last = last;
        }

        boolean exhausted() {
            return next > last;
        }

        long unused() {
            return last - next + 1;
        }
    }

    private GaplessCounters() {
    }

    /** The current transaction expects to number about {@code documents} documents of the tenant in {@code series}. */
    static void expect(JdbiTransactions tx, Series series, String tenantId, int documents) {
        tx.remember(new ExpectKey(series, tenantId), new int[] {documents});
    }

    static long next(JdbiTransactions tx, Series series, String tenantId) {
        RangeKey key = new RangeKey(series, tenantId);
        Range range = tx.recall(key);
        if (range == null || range.exhausted()) {
            int[] expected = tx.recall(new ExpectKey(series, tenantId));
            int size = expected == null || expected[0] < 1 ? 1 : expected[0];
            if (expected != null) {
                expected[0] = 0; // what the batch expected is now reserved; more (a subscription catching up periods) one at a time
            }
            long last = reserve(tx.handle(), series, tenantId, size);
            range = new Range(tenantId, last - size + 1, last);
            tx.remember(key, range);
            if (size > 1) {
                JdbiTransactions.Deferred<Range> giveBack = tx.deferred(new GiveBackKey(series), (h, ranges) -> giveBack(h, series, ranges));
                if (giveBack != null) {
                    giveBack.add(range);
                }
            }
        }
        return range.next++;
    }

    private static long reserve(Handle h, Series series, String tenantId, int size) {
        return h.createQuery("INSERT INTO " + series.table + " (tenant_id, last_number) VALUES (:tenant, :size) "
                        + "ON CONFLICT (tenant_id) DO UPDATE SET last_number = " + series.table + ".last_number + :size RETURNING last_number")
                .bind("tenant", tenantId).bind("size", size).mapTo(Long.class).one();
    }

    /** Before commit (or before a statement that reads the counters): the reserved numbers nobody took go back. */
    private static void giveBack(Handle h, Series series, List<Range> ranges) {
        for (Range r : ranges) {
            long unused = r.unused();
            if (unused <= 0) {
                continue;
            }
            // the row is locked by this transaction since the reservation, so it still ends on the range's last number
            int updated = h.createUpdate("UPDATE " + series.table + " SET last_number = last_number - :unused WHERE tenant_id = :tenant AND last_number = :last")
                    .bind("unused", unused).bind("tenant", r.tenantId).bind("last", r.last).execute();
            if (updated != 1) {
                throw new IllegalStateException("The " + series.table + " row of tenant " + r.tenantId + " moved while this transaction held it");
            }
            r.next = r.last + 1; // nothing left: a later number reserves anew, from where the counter now ends
        }
    }
}

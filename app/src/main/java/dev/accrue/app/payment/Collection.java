package dev.accrue.app.payment;

import java.time.Instant;
import java.util.List;

/**
 * Collecting one finalized invoice of an auto-pay customer (see V140 for the stages). {@code round} is the try
 * (0 first, n the n-th retry); {@code hardDeclined} the methods never tried again for this invoice; {@code cycle} 0 for
 * the collection after finalization, n for the n-th time the invoice is collected again after money was taken back
 * (a lost dispute, V330) — rounds start over in each cycle, and the cycle is part of each attempt's key.
 */
public record Collection(String tenantId, String invoiceId, String customerId, String stage, int round, Instant firstFailedAt, Instant nextAttemptAt,
                         List<String> hardDeclined, String inFlightPaymentId, Instant inFlightSince, String lastFailure, int cycle) {
    public static final String WAITING_FOR_METHOD = "waiting_for_method";
    public static final String COLLECTING = "collecting";
    public static final String GRACE = "grace";
    public static final String SUSPENDED = "suspended";
    public static final String PAID = "paid";
    public static final String CLOSED = "closed";

    /**
     * What every attempt key of this cycle's round starts with: {@code invoice:round:} in cycle 0 (as ever), else
     * {@code invoice:cN:round:} — so the attempts of a round are those of this cycle only.
     */
    public String attemptPrefix() {
        return invoiceId + ":" + (cycle == 0 ? "" : "c" + cycle + ":") + round + ":";
    }

    /** The attempt key of this round's try with {@code methodId}: unique per (invoice, cycle, round, method). */
    public String attemptKey(String methodId) {
        return attemptPrefix() + methodId;
    }
}

package dev.accrue.app.payment;

import java.time.Instant;
import java.util.List;

/**
 * Collecting one finalized invoice of an auto-pay customer (see V140 for the stages). {@code round} is the try
 * (0 first, n the n-th retry); {@code hardDeclined} the methods never tried again for this invoice.
 */
public record Collection(String tenantId, String invoiceId, String customerId, String stage, int round, Instant firstFailedAt, Instant nextAttemptAt,
                         List<String> hardDeclined, String inFlightPaymentId, Instant inFlightSince, String lastFailure) {
    public static final String WAITING_FOR_METHOD = "waiting_for_method";
    public static final String COLLECTING = "collecting";
    public static final String GRACE = "grace";
    public static final String SUSPENDED = "suspended";
    public static final String PAID = "paid";
    public static final String CLOSED = "closed";
}

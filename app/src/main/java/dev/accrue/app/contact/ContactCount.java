package dev.accrue.app.contact;

import java.time.Instant;

/**
 * A customer's current count of qualifying contacts: {@code source} is {@code contacts} (counted from the
 * synced records) or {@code pushed} (reported directly), {@code asOf} when it was last written (null: never).
 * {@code upserted}/{@code deleted} say what the request that returned it changed (0 for reads).
 */
public record ContactCount(String customerId, long count, String source, Instant asOf, int upserted, int deleted) {
}

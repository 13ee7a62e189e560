package dev.accrue.core.payment;

import dev.accrue.core.error.AccrueException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When an unpaid invoice is tried again, and when its customer is suspended. The first try is at finalization;
 * when it fails (every saved method declined) that instant is the first failure, and retry n happens
 * {@code retryDays[n-1]} days after it (default 1, 3, 5 and 7 days). When the last retry fails too, the customer
 * has {@code graceDays} more days to pay before service is suspended.
 */
public record DunningPolicy(List<Integer> retryDays, int graceDays) {
    public static final DunningPolicy DEFAULT = new DunningPolicy(List.of(1, 3, 5, 7), 3);
    public static final int MAX_RETRIES = 10;
    public static final int MAX_DAYS = 60;

    public DunningPolicy {
        if (retryDays == null) {
            throw AccrueException.invalid("retry_days", "retry_days is a list of days (empty: no retries)");
        }
        if (retryDays.size() > MAX_RETRIES) {
            throw AccrueException.invalid("retry_days", "At most " + MAX_RETRIES + " retries");
        }
        int previous = 0;
        for (int i = 0; i < retryDays.size(); i++) {
            Integer d = retryDays.get(i);
            if (d == null || d <= previous || d > MAX_DAYS) {
                throw AccrueException.invalid("retry_days[" + i + "]", "retry_days are days after the first failure, increasing, from 1 to " + MAX_DAYS);
            }
            previous = d;
        }
        retryDays = List.copyOf(retryDays);
        if (graceDays < 0 || graceDays > MAX_DAYS) {
            throw AccrueException.invalid("grace_days", "grace_days must be 0-" + MAX_DAYS);
        }
    }

    /** What follows the failure of try {@code round} (0 = the first try, n = retry n). */
    public Next afterFailure(int round, Instant firstFailure, Instant now) {
        if (round < retryDays.size()) {
            return new Next(false, round + 1, firstFailure.plus(Duration.ofDays(retryDays.get(round))));
        }
        return new Next(true, round, now.plus(Duration.ofDays(graceDays)));
    }

    /**
     * {@code grace} true: retries are exhausted and service is suspended at {@code at} unless paid by then; else
     * retry {@code round} is due at {@code at}.
     */
    public record Next(boolean grace, int round, Instant at) {
    }
}

package dev.accrue.app.mail;

import java.time.Duration;

/**
 * When a failed email is tried again: one minute after the first failure, doubling each time, at most four
 * hours apart; after {@link #MAX_ATTEMPTS} attempts (about 8 hours in all) it is given up as failed. Mail
 * servers that are down for a while or greylist a sender are outlasted; a hopeless address stops soon enough.
 */
public final class RetrySchedule {
    public static final int MAX_ATTEMPTS = 10;
    static final Duration FIRST = Duration.ofMinutes(1);
    static final Duration CAP = Duration.ofHours(4);

    private RetrySchedule() {
    }

    /** The wait after the {@code attempt}-th failed attempt (1-based). */
    public static Duration delayAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
        }
        Duration d = FIRST.multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(CAP) > 0 ? CAP : d;
    }

    public static boolean exhausted(int attempts) {
        return attempts >= MAX_ATTEMPTS;
    }
}

package dev.accrue.app.mail;

import java.time.Duration;

/**
 * When a failed email is tried again: one minute after the first failure, doubling each time, at most four
 * hours apart; after {@link #MAX_ATTEMPTS} attempts (just over 28 hours in all) it is given up as failed. A mail
 * server down for a day, or greylisting a sender, is outlasted; a hopeless address stops; a failed email can
 * still be sent again through the API ({@code POST /v1/emails/{id}/resend}).
 */
public final class RetrySchedule {
    public static final int MAX_ATTEMPTS = 15;
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

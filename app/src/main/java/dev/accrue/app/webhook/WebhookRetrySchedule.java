package dev.accrue.app.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again (the schedule Standard Webhooks senders commonly use): 5 seconds, 5
 * minutes, 30 minutes, 2 hours, 5 hours, 10 hours, 10 hours after each failure — eight attempts over about 27.6
 * hours, so a receiver down for a whole day still gets every event. After the eighth failure the delivery is
 * failed; a manual replay sends it again.
 */
public final class WebhookRetrySchedule {
    static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
            Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    public static final int MAX_ATTEMPTS = DELAYS.size() + 1;

    private WebhookRetrySchedule() {
    }

    /** The wait after the {@code attempt}-th failed attempt (1-based); empty once attempts are exhausted. */
    public static Optional<Duration> delayAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
        }
        return attempt > DELAYS.size() ? Optional.empty() : Optional.of(DELAYS.get(attempt - 1));
    }
}

package dev.accrue.adapters.http.support;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

/** An error the client may retry after a pause; the answer carries {@code Retry-After} in whole seconds. */
public final class RetryLater extends AccrueException {
    private final long retryAfterSeconds;

    public RetryLater(ErrorCode code, long retryAfterSeconds, String message) {
        super(code, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

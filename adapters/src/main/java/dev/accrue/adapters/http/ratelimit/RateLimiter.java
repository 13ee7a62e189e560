package dev.accrue.adapters.http.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import dev.accrue.adapters.http.support.RetryLater;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.cache.Caches;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Token buckets (Bucket4j) per client address, per API key and for failed authentications per address, held
 * in memory by each node (a client spread over N nodes gets up to N times the budget; the limits are against
 * floods and guessing, not billing quotas). Buckets of idle clients are dropped after ten minutes, and a key's
 * bucket is rebuilt each minute so a tenant's new {@code api_requests_per_second} applies within a minute.
 */
public final class RateLimiter {
    private final RateLimits limits;
    private final Function<String, Integer> tenantRate;
    private final Cache<String, Bucket> addresses = Caches.bounded(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    private final Cache<String, Bucket> failures = Caches.bounded(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    private final Cache<String, Bucket> keys = Caches.bounded(200_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    /** {@code tenantRate}: the tenant's own per-key rate, or null for the node's. */
    public RateLimiter(RateLimits limits, Function<String, Integer> tenantRate) {
        this.limits = limits;
        this.tenantRate = tenantRate;
    }

    /** Counts a request from {@code address}; refuses it when the address is over its budget or failed too often. */
    public void admitAddress(String address) {
        Bucket failed = failures.getIfPresent(address);
        if (failed != null && failed.getAvailableTokens() <= 0) {
            throw refused(failed.estimateAbilityToConsume(1).getNanosToWaitForRefill(),
                    "Too many failed authentications from this address; wait before trying again");
        }
        take(addresses.get(address, a -> perSecond(limits.perAddressPerSecond())), "Too many requests from this address");
    }

    /** Authenticates with {@code authenticate}; a failure spends one of the address's failed-authentication tokens. */
    public Caller authenticate(String address, Supplier<Caller> authenticate) {
        Caller caller;
        try {
            caller = authenticate.get();
        } catch (AccrueException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED || e.code() == ErrorCode.API_KEY_REVOKED) {
                failures.get(address, a -> Bucket.builder().addLimit(Bandwidth.builder().capacity(limits.failedAuthPerMinute())
                        .refillGreedy(limits.failedAuthPerMinute(), Duration.ofMinutes(1)).build()).build()).tryConsume(1);
            }
            throw e;
        }
        take(keys.get(caller.actor().id(), k -> {
            Integer own = tenantRate.apply(caller.tenantId());
            return perSecond(own == null ? limits.perKeyPerSecond() : own);
        }), "Too many requests with this API key");
        return caller;
    }

    private static Bucket perSecond(int rate) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(2L * rate).refillGreedy(rate, Duration.ofSeconds(1)).build()).build();
    }

    private static void take(Bucket bucket, String message) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw refused(probe.getNanosToWaitForRefill(), message);
        }
    }

    private static RetryLater refused(long nanos, String message) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L));
        return new RetryLater(ErrorCode.RATE_LIMITED, seconds, message + " (retry after " + seconds + " s)");
    }
}

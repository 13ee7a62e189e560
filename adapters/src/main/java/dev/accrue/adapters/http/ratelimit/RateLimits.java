package dev.accrue.adapters.http.ratelimit;

/**
 * The node's request budgets (token buckets, refilled continuously). {@code perKeyPerSecond}: each API key's
 * sustained rate, unless its tenant sets {@code api_requests_per_second}; {@code perAddressPerSecond}: each client
 * address's, whatever keys it presents; {@code failedAuthPerMinute}: failed authentications an address may make
 * before it is refused outright for a while. Every bucket holds twice its per-second rate (one minute's worth for
 * failed authentications) as a burst. Defaults are far above what one client needs and what the benchmarks send
 * (thousands of authorizations a second on one key), so only abuse meets them.
 */
public record RateLimits(int perKeyPerSecond, int perAddressPerSecond, int failedAuthPerMinute) {
    public static final RateLimits DEFAULT = new RateLimits(10_000, 20_000, 60);

    public RateLimits {
        if (perKeyPerSecond < 1 || perAddressPerSecond < 1 || failedAuthPerMinute < 1) {
            throw new IllegalArgumentException("rate limits must be at least 1, got key " + perKeyPerSecond + ", address " + perAddressPerSecond
                    + ", failed authentications " + failedAuthPerMinute);
        }
    }
}

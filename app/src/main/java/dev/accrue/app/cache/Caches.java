package dev.accrue.app.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import java.time.Duration;

/**
 * Every in-memory cache of a node is made here: bounded (least useful entries evicted one by one, never the whole
 * cache emptied at a size), expiring, and counting hits, misses and evictions to /metrics as
 * {@code cache_gets_total{cache="…",result="hit|miss"}}, {@code cache_evictions_total}, {@code cache_size}.
 */
public final class Caches {
    private Caches() {
    }

    /** Entries unread for {@code idle} are dropped. */
    public static <K, V> Cache<K, V> idle(String name, long maximumSize, Duration idle) {
        return monitored(name, bounded(maximumSize).expireAfterAccess(idle).recordStats().build());
    }

    /** Entries are dropped {@code ttl} after they were written, however often read. */
    public static <K, V> Cache<K, V> written(String name, long maximumSize, Duration ttl) {
        return monitored(name, bounded(maximumSize).expireAfterWrite(ttl).recordStats().build());
    }

    /**
     * A bounded cache whose upkeep runs on the thread that reads or writes it. Caffeine records reads in small buffers and,
     * by default, drains them (eviction order, expiry) on ForkJoinPool's common pool each time one fills or after a write:
     * on a node answering checks one by one that woke a parked common-pool thread about once every four authorization
     * checks (0.27 wake-ups per check at 2,000/s; docs/architecture.md, "Authorization, 2026-12-02 (s17-auth)") — a
     * futex wake, a context switch and a core's cache for a few microseconds of work the caller can do itself under the
     * cache's own try-lock. Never for caches whose upkeep would block (none here: no removal listener, no loader).
     */
    public static Caffeine<Object, Object> bounded(long maximumSize) {
        return Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run);
    }

    private static <K, V> Cache<K, V> monitored(String name, Cache<K, V> cache) {
        return CaffeineCacheMetrics.monitor(Metrics.globalRegistry, cache, name);
    }
}

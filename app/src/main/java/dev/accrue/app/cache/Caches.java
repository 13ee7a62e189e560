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
        return monitored(name, Caffeine.newBuilder().maximumSize(maximumSize).expireAfterAccess(idle).recordStats().build());
    }

    /** Entries are dropped {@code ttl} after they were written, however often read. */
    public static <K, V> Cache<K, V> written(String name, long maximumSize, Duration ttl) {
        return monitored(name, Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).recordStats().build());
    }

    private static <K, V> Cache<K, V> monitored(String name, Cache<K, V> cache) {
        return CaffeineCacheMetrics.monitor(Metrics.globalRegistry, cache, name);
    }
}

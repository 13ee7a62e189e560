package dev.accrue.app.cache;

import com.github.benmanes.caffeine.cache.Cache;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cache's upkeep (eviction, expiry, the read buffers' drain) runs on the thread that used the cache, at once — never
 * handed to the common pool, which woke a parked thread about once every four authorization checks.
 */
class CachesTest {
    @Test
    void anEvictionHappensOnTheWritingThreadBeforeThePutReturns() {
        List<Thread> evictedOn = Collections.synchronizedList(new ArrayList<>());
        Cache<Integer, String> cache = Caches.bounded(2).<Integer, String>evictionListener((k, v, cause) -> evictedOn.add(Thread.currentThread())).build();
        for (int i = 0; i < 10; i++) {
            cache.put(i, "v" + i);
            assertThat(cache.estimatedSize()).as("after put %d", i).isLessThanOrEqualTo(2);
        }
        assertThat(evictedOn).hasSize(8).allMatch(t -> t == Thread.currentThread());
    }

    @Test
    void theNamedCachesAreBoundedAtOnceToo() {
        Cache<Integer, String> cache = Caches.written("caches_test", 3, Duration.ofHours(1));
        for (int i = 0; i < 100; i++) {
            cache.put(i, "v" + i);
            cache.getIfPresent(i / 2); // reads fill the read buffers, whose drain is upkeep too
            assertThat(cache.estimatedSize()).as("after put %d", i).isLessThanOrEqualTo(3);
        }
    }
}

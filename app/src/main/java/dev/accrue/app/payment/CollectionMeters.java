package dev.accrue.app.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * What the chunked collection counts for /metrics, so a fall back from the set-based steps ({@link CollectionBatch}) to
 * the one-at-a-time ones is seen rather than only slower: {@code accrue_collection_attempts_total{step,path}} counts
 * the attempts a chunk stored ({@code step=begin}) and whose outcome it recorded ({@code step=settle}), set-based or one
 * at a time (what is not plain: a decline, grace, an attempt a dead node left); {@code
 * accrue_collection_chunk_fallbacks_total{step}} the chunks whose whole transaction failed and were done again one
 * invoice at a time. Counted after the transaction committed.
 */
public final class CollectionMeters {
    public static final String ATTEMPTS = "accrue_collection_attempts_total";
    public static final String FALLBACKS = "accrue_collection_chunk_fallbacks_total";
    public static final String SET_BASED = "set_based";
    public static final String ONE_AT_A_TIME = "one_at_a_time";

    private CollectionMeters() {
    }

    static void attempts(String step, String path, int count) {
        if (count > 0) {
            Counter.builder(ATTEMPTS).description("Payment attempts stored (begin) and recorded (settle) by collection chunks, by path")
                    .tag("step", step).tag("path", path).register(Metrics.globalRegistry).increment(count);
        }
    }

    static void fallback(String step) {
        Counter.builder(FALLBACKS).description("Collection chunks whose transaction failed and were redone one invoice at a time")
                .tag("step", step).register(Metrics.globalRegistry).increment();
    }
}

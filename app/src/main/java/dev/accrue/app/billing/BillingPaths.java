package dev.accrue.app.billing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * What a billing run counts for /metrics so that a batch falling back to one subscription per transaction is seen, not
 * only slower (each path is correct on its own): {@code accrue_billing_batch_subscriptions_total{path}} counts the
 * subscriptions billed in a claimed batch's transaction ({@code batch}, whose invoices, lines and events are written with
 * one statement per kind) or, after that transaction failed, one at a time ({@code one_at_a_time});
 * {@code accrue_billing_batch_fallbacks_total} counts the batches that failed and were redone. Counted after commit.
 */
public final class BillingPaths {
    public static final String SUBSCRIPTIONS = "accrue_billing_batch_subscriptions";
    public static final String FALLBACKS = "accrue_billing_batch_fallbacks";
    public static final String BATCH = "batch";
    public static final String ONE_AT_A_TIME = "one_at_a_time";

    private BillingPaths() {
    }

    static void billed(String path, int subscriptions) {
        if (subscriptions > 0) {
            Counter.builder(SUBSCRIPTIONS).description("Due subscriptions billed by runs, in a claimed batch or one at a time after it failed")
                    .tag("path", path).register(Metrics.globalRegistry).increment(subscriptions);
        }
    }

    static void fellBack() {
        Counter.builder(FALLBACKS).description("Billing batches whose transaction failed and were redone one subscription at a time")
                .register(Metrics.globalRegistry).increment();
    }
}

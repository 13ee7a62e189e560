package dev.accrue.app.metering;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;

/**
 * What ingestion counts for /metrics: {@code accrue_usage_events_total{outcome="accepted|duplicate|rejected",code}}
 * (a whole batch refused counts each of its events under the refusal's code), and per group commit how many
 * events and requests shared it.
 */
final class UsageMeters {
    private static final String EVENTS = "accrue_usage_events";

    private UsageMeters() {
    }

    static void count(IngestResult result) {
        if (result.accepted() > 0) {
            counter(EventResult.ACCEPTED, "none").increment(result.accepted());
        }
        if (result.duplicates() > 0) {
            counter(EventResult.DUPLICATE, "none").increment(result.duplicates());
        }
        for (EventResult r : result.results()) {
            if (EventResult.REJECTED.equals(r.status())) {
                counter(EventResult.REJECTED, r.code() == null ? "unknown" : r.code()).increment();
            }
        }
    }

    static void refused(String code, int events) {
        counter(EventResult.REJECTED, code).increment(Math.max(events, 1));
    }

    static void groupCommit(int requests, int events) {
        DistributionSummary.builder("accrue_usage_group_commit_events").description("Events stored per shared usage transaction")
                .register(Metrics.globalRegistry).record(events);
        DistributionSummary.builder("accrue_usage_group_commit_requests").description("Requests sharing one usage transaction")
                .register(Metrics.globalRegistry).record(requests);
    }

    private static Counter counter(String outcome, String code) {
        return Counter.builder(EVENTS).description("Usage events received, by outcome and error code").tag("outcome", outcome).tag("code", code)
                .register(Metrics.globalRegistry);
    }
}

package dev.accrue.app.billingrun;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.RunProgress;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.subscription.SubscriptionRepository.DueSubscription;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs billing as an operator can follow it: counts what is due per tenant, records the run, lets
 * {@link BillingService#runDue} do the work (claims with SKIP LOCKED, so several nodes share it), writes each
 * tenant's progress as batches commit, and at the end counts what stayed due because another node holds it.
 * Runs of the scheduler that find nothing due are not recorded (one a minute per node would bury the others).
 */
public final class BillingRuns {
    private static final Logger LOG = LoggerFactory.getLogger(BillingRuns.class);
    /** Progress is written at most this often (and at the end): a run of 100,000 subscriptions writes a few hundred rows, not 100,000. */
    private static final long FLUSH_NANOS = 500_000_000L;
    private final Transactions tx;
    private final BillingService billing;
    private final SubscriptionRepository subscriptions;
    private final BillingRunRepository runs;
    private final Clock clock;
    private final String node;
    private final AtomicInteger backlog = new AtomicInteger();
    private final Timer duration;
    private final Counter invoicesIssued;
    private final Counter subscriptionsBilled;
    private final Counter subscriptionsFailed;

    public BillingRuns(Transactions tx, BillingService billing, SubscriptionRepository subscriptions, BillingRunRepository runs, Clock clock, String node) {
        this.tx = tx;
        this.billing = billing;
        this.subscriptions = subscriptions;
        this.runs = runs;
        this.clock = clock;
        this.node = node;
        var registry = Metrics.globalRegistry;
        this.duration = Timer.builder("accrue_billing_run").description("Billing runs of this node, start to end").register(registry);
        this.invoicesIssued = Counter.builder("accrue_billing_invoices_issued").description("Invoices issued by billing runs").register(registry);
        this.subscriptionsBilled = Counter.builder("accrue_billing_subscriptions_billed").description("Due subscriptions billed by runs").register(registry);
        this.subscriptionsFailed = Counter.builder("accrue_billing_subscriptions_failed")
                .description("Due subscriptions whose billing failed (they stay due)").register(registry);
        io.micrometer.core.instrument.Gauge.builder("accrue_billing_due_subscriptions", backlog, AtomicInteger::get)
                .description("Subscriptions due when this node's last run started (the backlog)").register(registry);
    }

    /** What a run did, across tenants; {@code heldElsewhere} were due but being billed by another node. */
    public record Summary(String runId, int due, int done, int failed, int invoices, int heldElsewhere, long millis) {
    }

    /** Hears a run's totals as they move (the CLI's progress bar). */
    public interface Watcher {
        Watcher NONE = totals -> {
        };

        void progressed(Summary totals);
    }

    /** A run of the scheduler: recorded only when something was due. */
    public Summary runScheduled(int batchSize) {
        return run("system:scheduler", batchSize, false, Watcher.NONE);
    }

    /** A run an operator asked for: always recorded. */
    public Summary runRequested(String triggeredBy, int batchSize, Watcher watcher) {
        return run(triggeredBy, batchSize, true, watcher);
    }

    private Summary run(String triggeredBy, int batchSize, boolean alwaysRecord, Watcher watcher) {
        long started = System.nanoTime();
        Instant startedAt = clock.instant();
        Map<String, Integer> due = tx.inTransaction(() -> subscriptions.countDue(startedAt, Set.of()));
        int dueTotal = due.values().stream().mapToInt(Integer::intValue).sum();
        backlog.set(dueTotal);
        boolean recorded = alwaysRecord || dueTotal > 0;
        String runId = Ids.next("brun");
        if (recorded) {
            tx.run(() -> runs.start(runId, startedAt, triggeredBy, node, due));
        }
        Tally tally = new Tally(runId, recorded, dueTotal, watcher);
        try {
            billing.runDue(batchSize, tally);
        } finally {
            tally.flush(true);
        }
        Map<String, Integer> held = tx.inTransaction(() -> subscriptions.countDue(clock.instant(), tally.failedIds));
        int heldTotal = held.values().stream().mapToInt(Integer::intValue).sum();
        if (recorded) {
            tx.run(() -> runs.finish(runId, clock.instant(), held));
        }
        long nanos = System.nanoTime() - started;
        duration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        Summary summary = tally.summary(heldTotal, nanos / 1_000_000);
        if (recorded) {
            LOG.info("Billing run {} by {} on {}: {} due, {} billed, {} invoices, {} failed, {} held by another node, {} ms", runId, triggeredBy,
                    node, summary.due(), summary.done(), summary.invoices(), summary.failed(), heldTotal, summary.millis());
        }
        return summary;
    }

    public Page<BillingRun> list(Caller caller, PageRequest page) {
        return tx.inTransaction(() -> runs.list(caller.tenantId(), page));
    }

    public BillingRun get(Caller caller, String id) {
        return tx.inTransaction(() -> runs.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("billing_run", id));
    }

    /** Counts as subscriptions are committed; writes the counts at most every {@link #FLUSH_NANOS}. */
    private final class Tally implements RunProgress {
        private final String runId;
        private final boolean recorded;
        private final int due;
        private final Watcher watcher;
        private final Map<String, int[]> byTenant = new HashMap<>();
        private final Set<String> changed = new HashSet<>();
        private final Set<String> failedIds = new HashSet<>();
        private int done;
        private int failed;
        private int invoices;
        private final long startedNanos = System.nanoTime();
        private long flushedAt = startedNanos;

        Tally(String runId, boolean recorded, int due, Watcher watcher) {
            this.runId = runId;
            this.recorded = recorded;
            this.due = due;
            this.watcher = watcher;
        }

        @Override
        public void billed(DueSubscription subscription, int issued) {
            int[] counts = byTenant.computeIfAbsent(subscription.tenantId(), t -> new int[3]);
            counts[0]++;
            counts[2] += issued;
            done++;
            invoices += issued;
            subscriptionsBilled.increment();
            invoicesIssued.increment(issued);
            changed.add(subscription.tenantId());
            flush(false);
            watcher.progressed(summary(0, (System.nanoTime() - startedNanos) / 1_000_000));
        }

        @Override
        public void failed(DueSubscription subscription, RuntimeException error) {
            byTenant.computeIfAbsent(subscription.tenantId(), t -> new int[3])[1]++;
            failed++;
            failedIds.add(subscription.subscriptionId());
            subscriptionsFailed.increment();
            changed.add(subscription.tenantId());
            flush(false);
            watcher.progressed(summary(0, (System.nanoTime() - startedNanos) / 1_000_000));
        }

        void flush(boolean last) {
            long now = System.nanoTime();
            if (!last && now - flushedAt < FLUSH_NANOS) {
                return;
            }
            flushedAt = now;
            if (last) {
                changed.addAll(byTenant.keySet()); // the last write has every count, whatever an earlier failed write missed
            }
            if (!recorded || changed.isEmpty()) {
                return;
            }
            Map<String, BillingRunRepository.Totals> totals = new HashMap<>();
            for (String tenant : changed) {
                int[] c = byTenant.get(tenant);
                totals.put(tenant, new BillingRunRepository.Totals(c[0], c[1], c[2]));
            }
            changed.clear();
            // progress is a report, not part of the billing: a failure to write it must not stop the run
            try {
                tx.run(() -> runs.progress(runId, clock.instant(), totals));
            } catch (RuntimeException e) {
                LOG.warn("Writing the progress of billing run {} failed; the run goes on", runId, e);
            }
        }

        Summary summary(int heldElsewhere, long millis) {
            return new Summary(runId, Math.max(due, done + failed), done, failed, invoices, heldElsewhere, millis);
        }
    }
}

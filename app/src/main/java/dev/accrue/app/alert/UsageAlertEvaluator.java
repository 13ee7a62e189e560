package dev.accrue.app.alert;

import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.metering.BatchRead;
import dev.accrue.app.metering.UsageListener;
import dev.accrue.app.metering.UsageQueries;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.app.metering.UsageRepository.UsageWindow;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.alert.Thresholds;
import dev.accrue.core.alert.UsagePace;
import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.Allowance;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.catalog.Overage;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Raises usage alerts from the same aggregates that authorize calls, right after usage commits.
 *
 * <p>Ingestion only tells what moved: {@link #accepted} hands each (subscription, metric) of a batch to the
 * {@link AlertGate} — one comparison in memory, no I/O — which marks the key only when it is due (its estimated usage
 * reached the next threshold, a new day or window, a stale read), and wakes the evaluator thread. A pass takes every marked key and evaluates
 * them together: per tenant, one read transaction with <b>one query per kind</b> whatever the number of keys — the
 * subscriptions, their customers, the window's usage from the daily aggregates (the rows authorization sums), the
 * customers' alert rules, the alerts already fired in those windows, and for projections the days so far — then
 * compares in memory. Only what reached a threshold not yet fired writes: its {@code fired_alerts} rows (ON CONFLICT
 * DO NOTHING) and their domain events, all of a pass in one transaction (each key in its own if that fails). So an alert fires exactly once per
 * window whatever the number of threads or nodes evaluating, and again in the next window (a new window start is
 * a new key); the pass's cost follows the number of customers whose usage moved, not the event rate.
 *
 * <p>Evaluation is a function of the stored state, not of the events seen: a key evaluated late (an authorization's
 * commit that was still open at the first look — a key told usage before its commit is looked at again
 * {@link #RECHECK_AFTER} after its next evaluation; a node that restarted, see {@link #sweep}) still fires every
 * threshold reached and not yet fired.
 */
public final class UsageAlertEvaluator implements UsageListener {
    /** A key is evaluated again this long after a look that may have missed usage recorded inside a transaction not committed yet. */
    static final Duration RECHECK_AFTER = Duration.ofSeconds(1);
    /**
     * How far back a starting node looks for usage it may have left unevaluated ({@link #sweepRecent}): the time a
     * stopped node can take to come back and still raise the alerts its last second of usage reached.
     */
    static final Duration SWEEP_BACK = Duration.ofHours(1);
    /** How far back the re-check over time ({@link #sweepActive}) looks for usage: a month's window and some days. */
    static final Duration ACTIVE_WITHIN = Duration.ofDays(35);
    /** Keys read per query: bounds a statement's arrays (a node's first pass after a restart may hold many). */
    private static final int CHUNK = 1_000;
    /** Beyond this many cached terms the cache is emptied (it refills on demand). */
    private static final int MAX_CACHED = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(UsageAlertEvaluator.class);
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final UsageRepository usage;
    private final AlertRepository alerts;
    private static final List<String> USAGE_KINDS = List.of(FiredAlert.USAGE_THRESHOLD, FiredAlert.OVERAGE_PROJECTED);
    private final AlertFiring firing;
    private final CustomerTime time;
    private final CustomerCheck customerCheck;
    private final Set<Key> pending = ConcurrentHashMap.newKeySet();
    /** Keys that moved and were last read more than {@link AlertGate#REFRESH} ago: read again, without a second look. */
    private final Set<Key> stale = ConcurrentHashMap.newKeySet();
    private final AlertGate gate = new AlertGate();
    private final Map<Key, Instant> recheck = new ConcurrentHashMap<>();
    /**
     * Keys told usage before its transaction committed (an authorization's commit): the pass that next evaluates one
     * may not see that usage, so the key is looked at again {@link #RECHECK_AFTER} later. Usage told after its commit
     * (batches, the Kafka fold) needs no second look: a third of the keys a busy node evaluated were second looks.
     */
    private final Set<Key> uncommitted = ConcurrentHashMap.newKeySet();
    private final Semaphore wake = new Semaphore(0);
    private final Map<TermsKey, Terms> terms = new ConcurrentHashMap<>();
    /** The subscription and customer rows of the keys evaluated, by row version ({@link #rows}). */
    private final Map<RowKey, Kept<Subscription>> keptSubscriptions = new ConcurrentHashMap<>();
    private final Map<RowKey, Kept<Customer>> keptCustomers = new ConcurrentHashMap<>();
    /**
     * What fired in the windows the passes looked at, as far as this node knows ({@link #firedIn}): the markers a pass read
     * (committed) and those a pass's commit wrote or found there. A marker is never taken back while its window runs, so a
     * window held here needs no fired read; one fired meanwhile by another node is missing here, and the unique key refuses
     * it when the pass tries it again (then it is learnt). A window not held is read. The database decides what fires.
     */
    private final Map<FiredKey, Set<FiredAlert.Marker>> knownFired = new ConcurrentHashMap<>();
    /** At least this long between the starts of two passes ({@link AlertPace}); zero: a pass as soon as usage moves. */
    private final Duration pace;
    /** When the last pass started ({@link System#nanoTime}): the pace is measured from it. */
    private long lastPassStarted;

    public UsageAlertEvaluator(Transactions tx, SubscriptionRepository subscriptions, CustomerRepository customers, CatalogService catalogs,
                               BillingService billing, UsageRepository usage, AlertRepository alerts, AlertFiring firing, CustomerTime time,
                               CustomerCheck customerCheck, Duration pace) {
        if (pace.isNegative()) {
            throw new IllegalArgumentException("the alert pace cannot be negative, got " + pace);
        }
        this.tx = tx;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.usage = usage;
        this.alerts = alerts;
        this.firing = firing;
        this.time = time;
        this.customerCheck = customerCheck;
        this.pace = pace;
        this.lastPassStarted = System.nanoTime() - pace.toNanos(); // the first usage is evaluated at once
    }

    /** What moved: one metric of one subscription. */
    public record Key(String tenantId, String subscriptionId, String metric) {
    }

    /**
     * Tells the gate, once per (subscription, metric) of the batch however its events interleave, the sum of its
     * quantities, the largest and the latest day, and marks for a pass only the keys it finds due (a threshold reached
     * by the estimate, a new day or window, a stale read). Runs on the request thread for every batch: one lookup per
     * event, one gate call per key.
     */
    @Override
    public void accepted(String tenantId, List<MeteredEvent> stored) {
        told(tenantId, stored, false);
    }

    /** Usage told inside its transaction: its keys are evaluated again once it may have committed. */
    @Override
    public void acceptedBeforeCommit(String tenantId, List<MeteredEvent> stored, BatchRead read) {
        told(tenantId, stored, true);
    }

    private void told(String tenantId, List<MeteredEvent> stored, boolean beforeCommit) {
        Map<String, Run> runs = new HashMap<>(); // by subscription; a subscription's other metrics chained behind
        Run last = null;
        for (MeteredEvent e : stored) {
            if (!e.counted()) {
                continue;
            }
            Run run = last;
            if (run == null || !e.subscriptionId().equals(run.subscriptionId) || !e.metric().equals(run.metric)) {
                Run first = runs.get(e.subscriptionId());
                run = first;
                while (run != null && !run.metric.equals(e.metric())) {
                    run = run.other;
                }
                if (run == null) {
                    run = new Run(e.subscriptionId(), e.metric(), first);
                    runs.put(e.subscriptionId(), run);
                }
                last = run;
            }
            run.add(e.quantity() == null ? BigDecimal.ZERO : e.quantity(), e.day());
        }
        boolean added = false;
        for (Run first : runs.values()) {
            for (Run run = first; run != null; run = run.other) {
                Key key = new Key(tenantId, run.subscriptionId, run.metric);
                if (beforeCommit) {
                    uncommitted.add(key); // before the gate hears of it: a pass that installs after this has its second look
                }
                added |= tell(key, run.sum, run.max, run.day);
            }
        }
        if (added && wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** What a batch brought one (subscription, metric): the sum, the largest quantity, the latest day. */
    private static final class Run {
        private final String subscriptionId;
        private final String metric;
        /** The same subscription's next metric in this batch. */
        private final Run other;
        private BigDecimal sum = BigDecimal.ZERO;
        private BigDecimal max = BigDecimal.ZERO;
        private LocalDate day;

        private Run(String subscriptionId, String metric, Run other) {
            this.subscriptionId = subscriptionId;
            this.metric = metric;
            this.other = other;
        }

        private void add(BigDecimal quantity, LocalDate on) {
            sum = sum.add(quantity);
            max = max.max(quantity);
            day = day == null || on.isAfter(day) ? on : day;
        }
    }

    /** Whether the run made its key due now (a pass is woken for it). */
    private boolean tell(Key key, BigDecimal sum, BigDecimal max, LocalDate day) {
        return switch (gate.moved(key, sum, max, day)) {
            case DUE -> pending.add(key);
            case REFRESH -> {
                stale.add(key); // picked up by the next pass, at most a second later: no need to wake one
                yield false;
            }
            case NONE -> false;
        };
    }

    /**
     * Marks for evaluation every (subscription, metric) whose usage was received at or after {@code since}, in every
     * tenant: what a node that stopped between a batch's commit and its evaluation had not yet evaluated. A node runs
     * it when it starts; alerts that fired before are not fired again (their markers are in the database).
     */
    public int sweep(Instant since) {
        List<UsageRepository.MovedUsage> moved = tx.inTransaction(() -> usage.movedSince(since));
        moved.forEach(m -> pending.add(new Key(m.tenantId(), m.subscriptionId(), m.metric())));
        if (!moved.isEmpty()) {
            wake.release();
        }
        return moved.size();
    }

    /**
     * Marks for a pass every (subscription, metric) that took usage in the last {@link #ACTIVE_WITHIN}, in every tenant:
     * a projection looks at completed days, so it can pass the allowance while no usage arrives — a new day is enough.
     * The node's hourly {@code usage-projections} job runs it; each warning still fires once per window.
     */
    public int sweepActive() {
        List<UsageRepository.MovedUsage> active = tx.inTransaction(() -> usage.movedSince(time.systemNow().minus(ACTIVE_WITHIN)));
        active.forEach(m -> stale.add(new Key(m.tenantId(), m.subscriptionId(), m.metric())));
        wake.release();
        return active.size();
    }

    /**
     * Marks for a pass every (subscription, metric) of the test clock's customers that has usage: what
     * {@link #sweepActive} does hourly, once the clock has moved (a test clock's customers are few; all their usage is looked at).
     */
    public int sweepTestClock(String tenantId, String testClockId) {
        List<UsageRepository.MovedUsage> used = tx.inTransaction(() -> usage.usedSince(tenantId,
                subscriptions.onTestClock(tenantId, testClockId).stream().map(SubscriptionRepository.DueSubscription::subscriptionId).toList(),
                LocalDate.EPOCH));
        used.forEach(m -> stale.add(new Key(m.tenantId(), m.subscriptionId(), m.metric())));
        wake.release();
        return used.size();
    }

    /** {@link #sweep} of the last {@link #SWEEP_BACK}: what a node runs when it starts. */
    public int sweepRecent() {
        return sweep(time.systemNow().minus(SWEEP_BACK));
    }

    /**
     * Waits up to {@code wait} for usage to move — and, once it has, until the pace since the last pass has passed —
     * then evaluates every marked key (and those due for their second look); returns how many keys it evaluated. One
     * caller at a time (the node's alert thread; tests).
     */
    public synchronized int evaluatePending(Duration wait) throws InterruptedException {
        Duration untilRecheck = recheck.isEmpty() ? wait : RECHECK_AFTER;
        if (wake.tryAcquire(Math.min(wait.toMillis(), untilRecheck.toMillis()), TimeUnit.MILLISECONDS)) {
            awaitPace();
        }
        wake.drainPermits();
        Instant now = Instant.now();
        Set<Key> due = new LinkedHashSet<>();
        recheck.forEach((k, at) -> {
            if (!at.isAfter(now)) {
                due.add(k);
            }
        });
        due.forEach(recheck::remove);
        for (var it = stale.iterator(); it.hasNext(); ) {
            due.add(it.next());
            it.remove();
        }
        for (var it = pending.iterator(); it.hasNext(); ) {
            Key k = it.next();
            it.remove();
            due.add(k);
        }
        if (due.isEmpty()) {
            return 0;
        }
        long started = System.nanoTime();
        lastPassStarted = started;
        Map<String, List<Key>> byTenant = new LinkedHashMap<>();
        due.forEach(k -> byTenant.computeIfAbsent(k.tenantId(), t -> new ArrayList<>()).add(k));
        byTenant.forEach((tenantId, keys) -> {
            for (int from = 0; from < keys.size(); from += CHUNK) {
                evaluateChunk(tenantId, keys.subList(from, Math.min(keys.size(), from + CHUNK)));
            }
        });
        AlertMeters.pass(due.size(), Duration.ofNanos(System.nanoTime() - started));
        return due.size();
    }

    /**
     * Lets usage gather until {@link #pace} after the last pass started: keys marked meanwhile join the coming pass, so
     * busy ingestion makes fewer, larger passes (each costs its per-tenant queries whatever its number of keys). A
     * crossing thus waits at most the longer of the pace and a pass, then its own pass.
     */
    private void awaitPace() throws InterruptedException {
        long left = lastPassStarted + pace.toNanos() - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** One tenant's keys: read together, then each key that reached something fires in its own transaction, then budgets. */
    private void evaluateChunk(String tenantId, List<Key> keys) {
        List<Assessment> assessed;
        keys.forEach(gate::reading);
        // what fired is kept only from transactions of the pass's own (a caller's transaction could still roll back)
        boolean own = !tx.inProgress();
        try {
            assessed = tx.inTransaction(() -> assess(tenantId, keys, own));
        } catch (RuntimeException e) {
            // a failed read (the database away) loses nothing: the keys are looked at again on a later pass
            Instant retry = Instant.now().plus(RECHECK_AFTER);
            keys.forEach(k -> recheck.put(k, retry));
            keys.forEach(gate::forget);
            LOG.warn("Evaluating usage alerts of {} keys failed; trying again in {}", keys.size(), RECHECK_AFTER, e);
            return;
        }
        Set<String> customersMoved = new LinkedHashSet<>();
        assessed.forEach(a -> customersMoved.add(a.customerId()));
        List<Assessment> reached = assessed.stream().filter(a -> !a.alerts().isEmpty()).toList();
        fire(tenantId, reached, own);
        Set<String> watched;
        try {
            watched = customersMoved.isEmpty() ? Set.of() : customerCheck.check(tenantId, customersMoved);
        } catch (RuntimeException e) {
            // the budgets could not even be read: their customers are checked again on every move until they can be
            LOG.warn("Checking the budgets of {} customers failed; their next usage checks them again", customersMoved.size(), e);
            watched = customersMoved;
        }
        follow(keys, assessed, watched); // never skipped: a key left "reading" would not be due again
    }

    /** Fires what the pass found reached (nothing crossed, no transaction), all of it in one transaction, each key in its own if that fails. */
    private void fire(String tenantId, List<Assessment> reached, boolean learn) {
        if (reached.isEmpty()) {
            return;
        }
        List<AlertFiring.Firing> all = reached.stream().flatMap(a -> a.alerts().stream()).toList();
        try {
            // one commit for the whole pass: customers crossing together (a price change, a busy hour) cost one fsync, not one each
            tx.run(() -> firing.fireAll(tenantId, all));
            if (learn) {
                learnFired(tenantId, all);
            }
        } catch (RuntimeException together) {
            // one key's failure does not hold back the others': each on its own
            for (Assessment a : reached) {
                try {
                    tx.run(() -> firing.fireAll(tenantId, a.alerts()));
                    if (learn) {
                        learnFired(tenantId, a.alerts());
                    }
                } catch (RuntimeException e) {
                    recheck.put(a.key(), Instant.now().plus(RECHECK_AFTER));
                    LOG.warn("Firing usage alerts of {} failed; trying again in {}", a.key(), RECHECK_AFTER, e);
                }
            }
        }
    }

    /**
     * Leaves the gate what this pass read, so that the keys' next usage costs a comparison: a key the pass skipped
     * (not running, not metered) is read again only on a refresh; a budget's customer on every move.
     */
    private void follow(List<Key> keys, List<Assessment> assessed, Set<String> watched) {
        Set<Key> seen = new HashSet<>();
        boolean again = false;
        for (Assessment a : assessed) {
            seen.add(a.key());
            AlertGate.Follow follow = watched.contains(a.customerId()) ? AlertGate.Follow.EVERY_MOVE : a.follow();
            if (gate.install(a.key(), a.used(), a.next(), a.windowEnd(), a.today(), follow)) {
                again |= pending.add(a.key());
            }
        }
        for (Key k : keys) {
            if (!seen.contains(k)) {
                gate.install(k, BigDecimal.ZERO, null, null, null, AlertGate.Follow.ADD);
            }
        }
        // after the installs: usage told before its commit and before this point may be missing from what this pass
        // read (and from the gate's estimate), so its key is read again; usage told after it counts on top of the install
        Instant second = Instant.now().plus(RECHECK_AFTER);
        for (Key k : keys) {
            if (uncommitted.remove(k)) {
                recheck.put(k, second);
            }
        }
        if (again) {
            wake.release();
        }
    }

    /**
     * Evaluates one key now and fires what it reached in the caller's transaction; returns its customer (null when
     * nothing applies: the subscription is not running, nothing meters the metric).
     */
    public String evaluate(Key k) {
        gate.forget(k); // what this evaluation reads is not the gate's: its key's next usage is due
        List<Assessment> assessed = assess(k.tenantId(), List.of(k), false);
        assessed.forEach(a -> firing.fireAll(k.tenantId(), a.alerts()));
        return assessed.isEmpty() ? null : assessed.getFirst().customerId();
    }

    /**
     * What one key's evaluation found: its customer, the alerts reached and not yet fired, and for the gate the
     * window's usage, the next threshold's usage (null: none left), the window's end and the customer's today.
     */
    private record Assessment(Key key, String customerId, List<AlertFiring.Firing> alerts, BigDecimal used, BigDecimal next,
                              LocalDate windowEnd, LocalDate today, AlertGate.Follow follow) {
    }

    /** Reads everything the keys' evaluation needs with one query per kind, and decides what fires. */
    private List<Assessment> assess(String tenantId, List<Key> keys, boolean keep) {
        Map<String, Subscription> subs = new HashMap<>();
        Map<String, Customer> owners = new HashMap<>();
        rows(tenantId, keys, subs, owners);
        Map<String, Instant> clockNow = new HashMap<>(); // a test clock's time, read once per pass
        List<Window> windows = new ArrayList<>();
        for (Key k : keys) {
            Subscription sub = subs.get(k.subscriptionId());
            Customer customer = sub == null ? null : owners.get(sub.customerId());
            if (customer == null) {
                continue;
            }
            Instant now = customer.testClockId() == null ? time.systemNow()
                    : clockNow.computeIfAbsent(customer.testClockId(), id -> time.now(tenantId, customer));
            LocalDate today = LocalDate.ofInstant(now, customer.timeZone());
            if (today.isBefore(sub.startDate()) || (sub.endedOn() != null && !today.isBefore(sub.endedOn()))) {
                continue;
            }
            Period period = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, today);
            Terms t = terms(k, sub, customer, period, today);
            if (t != null) {
                windows.add(new Window(k, sub, customer, t, today, now));
            }
        }
        if (windows.isEmpty()) {
            return List.of();
        }
        Map<Window, BigDecimal> used = used(tenantId, windows);
        Map<String, List<UsageAlertRule>> rules = new HashMap<>();
        alerts.rules(tenantId, windows.stream().map(w -> w.customer().id()).distinct().toList())
                .forEach(r -> rules.computeIfAbsent(r.customerId(), c -> new ArrayList<>()).add(r));
        Set<FiredAlert.Marker> fired = firedIn(tenantId, windows, keep);
        Map<Window, List<BigDecimal>> days = completedDays(tenantId, windows.stream().filter(w -> projects(w, fired)).toList());
        RoundingPolicy rounding = days.isEmpty() ? null : billing.rounding(tenantId); // projections price their overage
        List<Assessment> out = new ArrayList<>();
        for (Window w : windows) {
            UsageAlertContent content = new UsageAlertContent(w.key().tenantId(), w.sub(), w.customer(), w.terms().metric(), w.terms().charge(),
                    w.terms().window(), w.terms().included(), used.get(w), w.now(), rounding);
            List<AlertFiring.Firing> reached = new ArrayList<>();
            BigDecimal[] next = {null};
            audiences(w, rules.getOrDefault(w.customer().id(), List.of())).forEach((audience, thresholds) -> {
                for (Thresholds.Reached r : Thresholds.reached(thresholds, used.get(w), w.terms().included())) {
                    // a threshold that fired in this window is not rendered again: past the first thresholds, most are
                    if (!fired.contains(new FiredAlert.Marker(FiredAlert.USAGE_THRESHOLD, w.subject(), w.terms().window().start(), audience,
                            r.threshold().key()))) {
                        reached.add(content.threshold(audience, r));
                    }
                }
                BigDecimal mine = Thresholds.nextLimit(thresholds, used.get(w), w.terms().included());
                next[0] = mine == null || next[0] != null && next[0].compareTo(mine) <= 0 ? next[0] : mine;
            });
            if (days.containsKey(w)) {
                reached.addAll(content.projections(days.get(w)));
            }
            reached.removeIf(f -> fired.contains(f.alert().marker())); // the projections'; the thresholds' were left out above
            out.add(new Assessment(w.key(), w.customer().id(), reached, used.get(w), next[0], w.terms().window().end(), w.today(),
                    follow(w.terms().metric().aggregation())));
        }
        return out;
    }

    /**
     * The keys' subscriptions and their customers: their row versions in one query, and the rows themselves read and
     * parsed (JSON columns included) only when their version is not the one kept from an earlier pass — a plan change,
     * a renewal, a customer's new time zone all write a new version. A row is kept under the version the first query
     * saw; the full read comes later in the pass, so what it holds is that version or a newer one, which the next pass
     * finds changed and reads again: a kept row is never older than its version says.
     */
    private void rows(String tenantId, List<Key> keys, Map<String, Subscription> subs, Map<String, Customer> owners) {
        Map<String, Long> subsToRead = new HashMap<>();
        Map<String, Long> customersToRead = new HashMap<>();
        for (AlertRepository.RowVersions v : alerts.rowVersions(tenantId, keys.stream().map(Key::subscriptionId).distinct().toList())) {
            keptOrToRead(keptSubscriptions, tenantId, v.subscriptionId(), v.subscriptionVersion(), subs, subsToRead);
            keptOrToRead(keptCustomers, tenantId, v.customerId(), v.customerVersion(), owners, customersToRead);
        }
        readAndKeep(keptSubscriptions, tenantId, subsToRead, ids -> subscriptions.findAll(tenantId, ids), Subscription::id, subs);
        readAndKeep(keptCustomers, tenantId, customersToRead, ids -> customers.findAll(tenantId, ids), Customer::id, owners);
    }

    /** The kept row when its version is the current one; otherwise the id goes to {@code toRead} with that version. */
    private static <T> void keptOrToRead(Map<RowKey, Kept<T>> kept, String tenantId, String id, long version, Map<String, T> into,
                                         Map<String, Long> toRead) {
        Kept<T> row = kept.get(new RowKey(tenantId, id));
        if (row != null && row.version() == version) {
            into.put(id, row.row());
        } else {
            toRead.put(id, version);
        }
    }

    /** Reads the rows {@code toRead} names and keeps each under the version its id was listed with. */
    private static <T> void readAndKeep(Map<RowKey, Kept<T>> kept, String tenantId, Map<String, Long> toRead,
                                        Function<Collection<String>, List<T>> read, Function<T, String> idOf, Map<String, T> into) {
        if (toRead.isEmpty()) {
            return;
        }
        if (kept.size() >= MAX_CACHED) {
            kept.clear();
        }
        for (T row : read.apply(toRead.keySet())) {
            String id = idOf.apply(row);
            into.put(id, row);
            kept.put(new RowKey(tenantId, id), new Kept<>(toRead.get(id), row));
        }
    }

    /** A subscription or customer of a tenant. */
    private record RowKey(String tenantId, String id) {
    }

    /** A tenant's usage window (subject subscription/metric, window start): what {@link #knownFired} holds markers by. */
    private record FiredKey(String tenantId, FiredAlert.Window window) {
    }

    /**
     * The markers fired in the windows: those of windows {@link #knownFired} holds from memory, the others read in one
     * query (the usage kinds only) — and, when {@code keep}, held from then on. Only a pass's own read transaction keeps
     * what it read: {@link #evaluate} runs in its caller's transaction, whose own uncommitted markers it could see.
     */
    private Set<FiredAlert.Marker> firedIn(String tenantId, List<Window> windows, boolean keep) {
        Set<FiredAlert.Marker> out = new HashSet<>();
        List<FiredAlert.Window> unknown = new ArrayList<>();
        for (FiredAlert.Window w : windows.stream().map(w -> new FiredAlert.Window(w.subject(), w.terms().window().start())).distinct().toList()) {
            Set<FiredAlert.Marker> known = keep ? knownFired.get(new FiredKey(tenantId, w)) : null;
            if (known == null) {
                unknown.add(w);
            } else {
                out.addAll(known);
            }
        }
        if (unknown.isEmpty()) {
            return out;
        }
        // a pass's one read of what fired: the usage kinds only (a third of the probes went to budget alerts, never under a usage subject)
        Set<FiredAlert.Marker> read = alerts.firedIn(tenantId, unknown, USAGE_KINDS);
        out.addAll(read);
        if (keep) {
            if (knownFired.size() >= MAX_CACHED) {
                knownFired.clear();
            }
            Map<FiredAlert.Window, Set<FiredAlert.Marker>> byWindow = new HashMap<>();
            unknown.forEach(w -> byWindow.put(w, ConcurrentHashMap.newKeySet()));
            read.forEach(m -> byWindow.get(new FiredAlert.Window(m.subject(), m.windowStart())).add(m));
            byWindow.forEach((w, markers) -> knownFired.put(new FiredKey(tenantId, w), markers));
        }
        return out;
    }

    /**
     * After a commit that tried these alerts: each is now fired (by this commit, or before it by another — the unique key
     * refused it), so the windows held learn their markers.
     */
    private void learnFired(String tenantId, List<AlertFiring.Firing> firings) {
        for (AlertFiring.Firing f : firings) {
            FiredAlert.Marker m = f.alert().marker();
            Set<FiredAlert.Marker> known = knownFired.get(new FiredKey(tenantId, new FiredAlert.Window(m.subject(), m.windowStart())));
            if (known != null) {
                known.add(m);
            }
        }
    }

    /** A row as read, and its version ({@code xmin}) when it was read. */
    private record Kept<T>(long version, T row) {
    }

    /** How the gate follows a metric's usage between reads: by adding, by the largest value, or not at all. */
    private static AlertGate.Follow follow(Aggregation aggregation) {
        return switch (aggregation) {
            case SUM, COUNT -> AlertGate.Follow.ADD;
            case MAX -> AlertGate.Follow.MAX;
            default -> AlertGate.Follow.EVERY_MOVE;
        };
    }

    /** Each audience's thresholds for the key's metric: the plan's, the customer's, each of its users'. */
    private static Map<String, List<Thresholds.Threshold>> audiences(Window w, List<UsageAlertRule> rules) {
        Map<String, List<Thresholds.Threshold>> audiences = new LinkedHashMap<>();
        audiences.put(FiredAlert.PLAN, Thresholds.ofPlan(w.terms().plan(), w.key().metric()));
        for (UsageAlertRule rule : rules) {
            if (rule.metric().equals(w.key().metric())) {
                List<Thresholds.Threshold> own = new ArrayList<>(Thresholds.percents(rule.percents()));
                rule.amounts().forEach(a -> own.add(new Thresholds.Threshold(Thresholds.Kind.AMOUNT, a)));
                audiences.put(rule.userEmail() == null ? FiredAlert.CUSTOMER : rule.userEmail(), own);
            }
        }
        return audiences;
    }

    /**
     * The windows' usage as authorization and the invoice see it: the daily aggregates folded by the metric's
     * aggregation — one query for every sum, count, max and latest metric; distinct counts and time-weighted gauges,
     * rarer and read differently, one query each.
     */
    private Map<Window, BigDecimal> used(String tenantId, List<Window> windows) {
        Map<Window, BigDecimal> out = new HashMap<>();
        Map<Window, UsageWindow> folded = new LinkedHashMap<>();
        for (Window w : windows) {
            Aggregation aggregation = w.terms().metric().aggregation();
            Period p = w.terms().window();
            if (aggregation == Aggregation.PERSISTENT) {
                out.put(w, usage.unitsHeld(tenantId, w.sub().id(), w.key().metric(), p.startInstant(w.customer().timeZone()), w.now()));
            } else if (aggregation == Aggregation.TIME_WEIGHTED_SUM) {
                out.put(w, usage.timeWeightedAverage(tenantId, w.sub().id(), w.key().metric(), p.startInstant(w.customer().timeZone()), w.now()));
            } else if (aggregation == Aggregation.UNIQUE_COUNT) {
                out.put(w, UsageQueries.fold(aggregation, usage.firstSeen(tenantId, w.sub().id(), w.key().metric(), p.start(), p.end())));
            } else {
                folded.put(w, new UsageWindow(w.sub().id(), w.key().metric(), p.start(), p.end()));
            }
        }
        Map<UsageWindow, List<UsageRepository.DailyUsage>> rows = usage.totals(tenantId, List.copyOf(new LinkedHashSet<>(folded.values())));
        folded.forEach((w, q) -> out.put(w, UsageQueries.fold(w.terms().metric().aggregation(), rows.get(q))));
        return out;
    }

    /**
     * Whether the window's projection is to be looked at: an additive metric, enough completed days for a trend,
     * and a warning it could give still unfired.
     */
    private static boolean projects(Window w, Set<FiredAlert.Marker> fired) {
        Aggregation aggregation = w.terms().metric().aggregation();
        if (aggregation != Aggregation.SUM && aggregation != Aggregation.COUNT) {
            return false;
        }
        if (ChronoUnit.DAYS.between(w.terms().window().start(), w.today()) < UsagePace.MIN_DAYS) {
            return false;
        }
        boolean capped = w.terms().charge().overage().policy() == Overage.OveragePolicy.CHARGE_UP_TO_CAP;
        String subject = w.subject();
        LocalDate start = w.terms().window().start();
        return !fired.contains(new FiredAlert.Marker(FiredAlert.OVERAGE_PROJECTED, subject, start, FiredAlert.PLAN, "allowance"))
                || capped && !fired.contains(new FiredAlert.Marker(FiredAlert.OVERAGE_PROJECTED, subject, start, FiredAlert.PLAN, "cap"));
    }

    /** Each window's completed days' usage, one value per day from its start to yesterday (zeros included), in one query. */
    private Map<Window, List<BigDecimal>> completedDays(String tenantId, List<Window> windows) {
        Map<Window, UsageWindow> queries = new LinkedHashMap<>();
        windows.forEach(w -> queries.put(w, new UsageWindow(w.sub().id(), w.key().metric(), w.terms().window().start(), w.today())));
        Map<UsageWindow, List<UsageRepository.DailyUsage>> rows = usage.daily(tenantId, List.copyOf(new LinkedHashSet<>(queries.values())));
        Map<Window, List<BigDecimal>> out = new HashMap<>();
        queries.forEach((w, q) -> {
            Map<LocalDate, BigDecimal> byDay = new HashMap<>();
            rows.get(q).forEach(d -> byDay.merge(d.day(), d.quantity(), BigDecimal::add));
            List<BigDecimal> days = new ArrayList<>();
            for (LocalDate d = q.from(); d.isBefore(q.to()); d = d.plusDays(1)) {
                days.add(byDay.getOrDefault(d, BigDecimal.ZERO));
            }
            out.put(w, days);
        });
        return out;
    }

    /**
     * What a subscription's rows imply for one metric in one allowance window: the plan as billed there (add-on grants,
     * derived allowances), the charge, the window, what it includes. Cached per subscription version — a plan change,
     * an add-on bought or renewed, a renewal all write the subscription's row — and window, so a busy customer costs
     * its usage read and not the plan's assembly on every pass.
     */
    record Terms(Plan plan, MeteredCharge charge, Metric metric, Period window, BigDecimal included) {
    }

    /** What {@link Terms} are cached by: a subscription's version and billing period, and the metric. */
    private record TermsKey(String tenantId, String subscriptionId, long version, String metric, LocalDate periodStart) {
    }

    private Terms terms(Key k, Subscription sub, Customer customer, Period period, LocalDate today) {
        TermsKey cacheKey = new TermsKey(k.tenantId(), sub.id(), sub.version(), k.metric(), period.start());
        Terms cached = terms.get(cacheKey);
        if (cached != null && cached.window().contains(today)) {
            return cached;
        }
        Plan plan = billing.counted().withDerivedAllowances(k.tenantId(), sub, customer, billing.planFor(k.tenantId(), sub, period), period);
        MeteredCharge charge = plan.charges().stream().filter(c -> c instanceof MeteredCharge m && m.metric().equals(k.metric()))
                .map(c -> (MeteredCharge) c).findFirst().orElse(null);
        if (charge == null) {
            return null;
        }
        Metric metric = catalogs.catalog(k.tenantId(), sub.catalogVersion()).metric(k.metric()).orElseThrow();
        Period window = UsageBilling.windows(charge.allowances(), period).stream().filter(w -> w.contains(today)).findFirst().orElse(period);
        BigDecimal included = charge.allowances().stream().map(Allowance::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        Terms fresh = new Terms(plan, charge, metric, window, included);
        if (terms.size() >= MAX_CACHED) {
            terms.clear();
        }
        terms.put(cacheKey, fresh);
        return fresh;
    }

    /** One key to evaluate with its rows and its present. Identity equality: two keys never share one. */
    private static final class Window {
        private final Key key;
        private final Subscription sub;
        private final Customer customer;
        private final Terms terms;
        private final LocalDate today;
        private final Instant now;

        Window(Key key, Subscription sub, Customer customer, Terms terms, LocalDate today, Instant now) {
            this.key = key;
            this.sub = sub;
            this.customer = customer;
            this.terms = terms;
            this.today = today;
            this.now = now;
        }

        Key key() {
            return key;
        }

        Subscription sub() {
            return sub;
        }

        Customer customer() {
            return customer;
        }

        Terms terms() {
            return terms;
        }

        LocalDate today() {
            return today;
        }

        Instant now() {
            return now;
        }

        String subject() {
            return sub.id() + "/" + terms.metric().code();
        }
    }
}

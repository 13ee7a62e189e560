package dev.accrue.app.alert;

import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.metering.UsageListener;
import dev.accrue.app.metering.UsageQueries;
import dev.accrue.app.metering.UsageRepository;
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
import dev.accrue.core.money.Money;
import dev.accrue.core.rating.RatedUsage;
import dev.accrue.core.rating.UsagePricer;
import dev.accrue.core.rating.UsageRating;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.time.Period;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Raises usage alerts from the same aggregates that authorize calls, right after usage commits.
 *
 * <p>Ingestion only marks what moved: {@link #accepted} adds (tenant, subscription, metric) to a set — no I/O, so
 * it costs ingestion next to nothing — and wakes the evaluator thread. The evaluator takes every marked key and,
 * per key in a transaction of its own, reads the allowance window's usage, compares it with the thresholds of
 * each audience (the plan's, the customer's, each of its users') and with the window's projected total, and
 * inserts each alert reached into {@code fired_alerts} with ON CONFLICT DO NOTHING; only the insert that went in
 * records the domain event, in the same transaction. So an alert fires exactly once per window whatever the
 * number of threads or nodes evaluating, and again in the next window (a new window start is a new key).
 *
 * <p>Evaluation is a function of the stored state, not of the events seen: a key evaluated late (the node
 * restarted, an authorization's commit that was still open at the first look — every key is looked at again
 * on the next pass after {@link #RECHECK_AFTER}) still fires every threshold reached and not yet fired.
 */
public final class UsageAlertEvaluator implements UsageListener {
    /** A key is evaluated again this long after its first look (usage recorded inside a transaction that had not committed yet). */
    static final Duration RECHECK_AFTER = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(UsageAlertEvaluator.class);
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final UsageRepository usage;
    private final AlertRepository alerts;
    private final AlertFiring firing;
    private final CustomerTime time;
    private final CustomerCheck customerCheck;
    private final Set<Key> pending = ConcurrentHashMap.newKeySet();
    private final Map<Key, Instant> recheck = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final Map<String, Terms> terms = new ConcurrentHashMap<>();
    /** Beyond this many cached terms the cache is emptied (it refills on demand). */
    private static final int MAX_CACHED = 50_000;

    public UsageAlertEvaluator(Transactions tx, SubscriptionRepository subscriptions, CustomerRepository customers, CatalogService catalogs,
                               BillingService billing, UsageRepository usage, AlertRepository alerts, AlertFiring firing, CustomerTime time,
                               CustomerCheck customerCheck) {
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
    }

    /** What moved: one metric of one subscription. */
    public record Key(String tenantId, String subscriptionId, String metric) {
    }

    @Override
    public void accepted(String tenantId, List<MeteredEvent> stored) {
        boolean added = false;
        String lastSub = null;
        String lastMetric = null;
        for (MeteredEvent e : stored) {
            if (!e.counted() || (e.subscriptionId().equals(lastSub) && e.metric().equals(lastMetric))) {
                continue; // a batch is mostly runs of one customer's metric: skip the set for repeats
            }
            lastSub = e.subscriptionId();
            lastMetric = e.metric();
            added |= pending.add(new Key(tenantId, e.subscriptionId(), e.metric()));
        }
        if (added && wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * Waits up to {@code wait} for usage to move, then evaluates every marked key (and those due for their second
     * look); returns how many keys it evaluated. One caller at a time (the node's alert thread; tests).
     */
    public synchronized int evaluatePending(Duration wait) throws InterruptedException {
        Duration untilRecheck = recheck.isEmpty() ? wait : RECHECK_AFTER;
        wake.tryAcquire(Math.min(wait.toMillis(), untilRecheck.toMillis()), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        Instant now = Instant.now();
        Set<Key> due = new LinkedHashSet<>();
        recheck.forEach((k, at) -> {
            if (!at.isAfter(now)) {
                due.add(k);
            }
        });
        due.forEach(recheck::remove);
        for (var it = pending.iterator(); it.hasNext(); ) {
            Key k = it.next();
            it.remove();
            due.add(k);
            recheck.put(k, now.plus(RECHECK_AFTER));
        }
        Set<String> customersMoved = new LinkedHashSet<>();
        for (Key k : due) {
            try {
                String customerId = tx.inTransaction(() -> evaluate(k));
                firing.committed();
                if (customerId != null) {
                    customersMoved.add(k.tenantId() + '\u0000' + customerId);
                }
            } catch (RuntimeException e) {
                firing.rolledBack();
                LOG.warn("Evaluating usage alerts of {} failed; the next usage of it evaluates again", k, e);
            }
        }
        for (String moved : customersMoved) {
            String[] parts = moved.split("\u0000", 2);
            try {
                tx.run(() -> customerCheck.check(parts[0], parts[1]));
                firing.committed();
            } catch (RuntimeException e) {
                firing.rolledBack();
                LOG.warn("Evaluating budgets of customer {} failed; the next usage evaluates again", parts[1], e);
            }
        }
        return due.size();
    }

    /** Evaluates one key now; returns its customer (null when nothing applies: the subscription is not running, nothing meters the metric). */
    public String evaluate(Key k) {
        Subscription sub = subscriptions.find(k.tenantId(), k.subscriptionId()).orElse(null);
        if (sub == null) {
            return null;
        }
        Customer customer = customers.find(k.tenantId(), sub.customerId()).orElseThrow();
        Instant now = time.now(k.tenantId(), customer);
        LocalDate today = LocalDate.ofInstant(now, customer.timeZone());
        if (today.isBefore(sub.startDate()) || (sub.endedOn() != null && !today.isBefore(sub.endedOn()))) {
            return null;
        }
        Period period = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, today);
        Terms t = terms(k, sub, customer, period, today);
        if (t == null) {
            return null;
        }
        Plan plan = t.plan();
        MeteredCharge charge = t.charge();
        Metric metric = t.metric();
        Period window = t.window();
        BigDecimal included = t.included();
        Window w = new Window(k, sub, customer, metric, charge, window, included, used(k.tenantId(), sub, metric, window, customer, now), now);

        Map<String, List<Thresholds.Threshold>> audiences = new LinkedHashMap<>();
        audiences.put(FiredAlert.PLAN, Thresholds.ofPlan(plan, k.metric()));
        for (UsageAlertRule rule : alerts.rules(k.tenantId(), customer.id())) {
            if (rule.metric().equals(k.metric())) {
                List<Thresholds.Threshold> own = new ArrayList<>(Thresholds.percents(rule.percents()));
                rule.amounts().forEach(a -> own.add(new Thresholds.Threshold(Thresholds.Kind.AMOUNT, a)));
                audiences.put(rule.userEmail() == null ? FiredAlert.CUSTOMER : rule.userEmail(), own);
            }
        }
        audiences.forEach((audience, thresholds) -> {
            for (Thresholds.Reached r : Thresholds.reached(thresholds, w.used(), included)) {
                fire(w, FiredAlert.USAGE_THRESHOLD, EventTypes.USAGE_THRESHOLD_REACHED, audience, r.threshold().key(), thresholdData(w, audience, r));
            }
        });
        boolean capped = charge.overage().policy() == Overage.OveragePolicy.CHARGE_UP_TO_CAP;
        boolean warned = firing.known(k.tenantId(), FiredAlert.OVERAGE_PROJECTED, w.subject(), window, FiredAlert.PLAN, "allowance")
                && (!capped || firing.known(k.tenantId(), FiredAlert.OVERAGE_PROJECTED, w.subject(), window, FiredAlert.PLAN, "cap"));
        if (!warned && (metric.aggregation() == Aggregation.SUM || metric.aggregation() == Aggregation.COUNT)) {
            projection(w, today);
        }
        return customer.id();
    }

    /**
     * What a subscription's rows imply for one metric in one allowance window: the plan as billed there (add-on grants,
     * derived allowances), the charge, the window, what it includes. Cached per subscription version — a plan change,
     * an add-on bought or renewed, a renewal all write the subscription's row — and window, so a busy customer costs
     * its usage read and not the plan's assembly on every pass.
     */
    private record Terms(Plan plan, MeteredCharge charge, Metric metric, Period window, BigDecimal included) {
    }

    private Terms terms(Key k, Subscription sub, Customer customer, Period period, LocalDate today) {
        String cacheKey = k.tenantId() + '|' + sub.id() + '|' + sub.version() + '|' + k.metric() + '|' + period.start();
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

    /** Everything one evaluation reads, once. */
    private record Window(Key key, Subscription sub, Customer customer, Metric metric, MeteredCharge charge, Period period, BigDecimal included,
                          BigDecimal used, Instant now) {
        String subject() {
            return sub.id() + "/" + metric.code();
        }
    }

    /** The window's usage as authorization and the invoice see it: the daily aggregates folded by the metric's aggregation. */
    private BigDecimal used(String tenantId, Subscription sub, Metric metric, Period window, Customer customer, Instant now) {
        if (metric.aggregation() == Aggregation.PERSISTENT) {
            return usage.unitsHeld(tenantId, sub.id(), metric.code(), window.startInstant(customer.timeZone()), now);
        }
        if (metric.aggregation() == Aggregation.TIME_WEIGHTED_SUM) {
            return usage.timeWeightedAverage(tenantId, sub.id(), metric.code(), window.startInstant(customer.timeZone()), now);
        }
        var rows = metric.aggregation() == Aggregation.UNIQUE_COUNT
                ? usage.firstSeen(tenantId, sub.id(), metric.code(), window.start(), window.end())
                : usage.totals(tenantId, sub.id(), metric.code(), window.start(), window.end());
        return UsageQueries.fold(metric.aggregation(), rows);
    }

    private Map<String, Object> thresholdData(Window w, String audience, Thresholds.Reached r) {
        Map<String, Object> data = base(w);
        data.put("audience", audience.equals(FiredAlert.PLAN) || audience.equals(FiredAlert.CUSTOMER) ? audience : "user");
        if (!audience.equals(FiredAlert.PLAN) && !audience.equals(FiredAlert.CUSTOMER)) {
            data.put("user_email", audience);
        }
        data.put("threshold", r.threshold().key());
        data.put("threshold_usage", plain(r.limit()));
        // the limit is the allowance; a pay-as-you-go metric (nothing included) has only its absolute thresholds
        BigDecimal limit = w.included().signum() > 0 ? w.included() : r.limit();
        data.put("limit", plain(limit));
        Instant start = w.period().startInstant(w.customer().timeZone());
        Instant end = w.period().endInstant(w.customer().timeZone());
        data.put("limit_reached_on", UsagePace.dateReached(w.used(), limit, start, w.now(), end, w.customer().timeZone())
                .map(LocalDate::toString).orElse(null));
        return data;
    }

    private Map<String, Object> base(Window w) {
        Map<String, Object> data = new TreeMap<>();
        data.put("customer_id", w.customer().id());
        data.put("subscription_id", w.sub().id());
        data.put("metric", w.metric().code());
        data.put("resource", w.metric().name() == null ? w.metric().code() : w.metric().name());
        data.put("unit", w.metric().unit());
        data.put("charge", w.charge().code());
        data.put("usage", plain(w.used()));
        data.put("included", plain(w.included()));
        data.put("percent_used", Thresholds.percentUsed(w.used(), w.included()) == null ? null
                : Thresholds.percentUsed(w.used(), w.included()).toPlainString());
        data.put("window_start", w.period().start().toString());
        data.put("window_end", w.period().end().toString());
        return data;
    }

    /**
     * Projected overage: the completed days' trend carried to the window end ({@link UsagePace#projectedTotal}); warns
     * once per window when it passes the allowance, and once when its overage would pass the cap.
     */
    private void projection(Window w, LocalDate today) {
        List<BigDecimal> days = new ArrayList<>();
        Map<LocalDate, BigDecimal> byDay = new TreeMap<>();
        if (today.isAfter(w.period().start())) {
            for (var d : usage.daily(w.key().tenantId(), w.sub().id(), w.metric().code(), w.period().start(), today)) {
                byDay.merge(d.day(), d.quantity(), BigDecimal::add);
            }
        }
        for (LocalDate d = w.period().start(); d.isBefore(today); d = d.plusDays(1)) {
            days.add(byDay.getOrDefault(d, BigDecimal.ZERO));
        }
        var projected = UsagePace.projectedTotal(days, w.used(), (int) w.period().days());
        if (projected.isEmpty() || w.included().signum() <= 0 && w.charge().overage().policy() != Overage.OveragePolicy.CHARGE_UP_TO_CAP) {
            return;
        }
        BigDecimal total = projected.get();
        String currency = w.customer().currency().getCurrencyCode();
        Map<String, Object> data = base(w);
        data.put("projected_usage", plain(total));
        data.put("projected_overage", plain(total.subtract(w.included()).max(BigDecimal.ZERO)));
        data.put("days_elapsed", days.size());
        data.put("currency", currency);
        RatedUsage rated = w.charge().pricing() == null ? null
                : UsageRating.rate(total, w.included(), w.charge().pricing(), w.charge().overage(), currency, billing.rounding(w.key().tenantId()));
        data.put("projected_overage_cost", rated == null ? null : rated.amount().toPlainMinorString());
        if (w.included().signum() > 0 && total.compareTo(w.included()) > 0) {
            Map<String, Object> allowance = new TreeMap<>(data);
            allowance.put("exceeds", "allowance");
            fire(w, FiredAlert.OVERAGE_PROJECTED, EventTypes.USAGE_OVERAGE_PROJECTED, FiredAlert.PLAN, "allowance", allowance);
        }
        if (w.charge().overage().policy() == Overage.OveragePolicy.CHARGE_UP_TO_CAP && w.charge().pricing() != null) {
            BigDecimal capAmount = w.charge().overage().cap().get(currency);
            Money uncapped = UsagePricer.price(w.charge().pricing(), currency, total.subtract(w.included()).max(BigDecimal.ZERO));
            if (capAmount != null && uncapped.compareTo(Money.of(capAmount, currency)) > 0) {
                Map<String, Object> cap = new TreeMap<>(data);
                cap.put("exceeds", "cap");
                cap.put("cap", Money.of(capAmount, currency).toPlainMinorString());
                cap.put("projected_uncapped_cost", billing.rounding(w.key().tenantId()).apply(uncapped).toPlainMinorString());
                fire(w, FiredAlert.OVERAGE_PROJECTED, EventTypes.USAGE_OVERAGE_PROJECTED, FiredAlert.PLAN, "cap", cap);
            }
        }
    }

    private void fire(Window w, String kind, String type, String audience, String threshold, Map<String, Object> data) {
        firing.fire(new AlertFiring.Alert(w.key().tenantId(), w.customer().id(), "subscription", w.sub().id(), kind, type, w.subject(), w.period(),
                audience, threshold), data, w.now());
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}

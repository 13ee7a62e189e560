package dev.accrue.app.authorization;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerClock;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.metering.EventResult;
import dev.accrue.app.metering.MeteringService;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.billing.UsageWindows;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.Allowance;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.catalog.Overage;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.metering.RawEvent;
import dev.accrue.core.money.Money;
import dev.accrue.core.rating.UsagePricer;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SubscriptionStatus;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.time.Period;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import dev.accrue.app.cache.Caches;
import java.util.List;
import java.util.Map;

/**
 * Real-time authorization ("may this call start?"). It computes available = allowance + what the overage
 * policy allows − used − live reservations, where "used" is read from the same daily aggregates the usage
 * views and invoices read, and holds a reservation for what it grants — all under the customer's
 * subscription row locks, which serialise concurrent checks so they can never overdraw.
 * <p>
 * Two paths give the same answers:
 * <ul>
 * <li>The <b>fast path</b> is usually one round trip. Everything derived from the customer's rows — clock,
 * currency, running subscription, plan with overrides, the metered charge and what its overage policy allows
 * — is cached per customer with the fingerprint of the rows it came from, and the last balance seen per
 * subscription is remembered. The service decides in memory from those, then one compare-and-reserve
 * statement ({@link AuthorizationRepository#reserve}) takes the locks and writes the reservation only if
 * the fingerprint and the balance are, under the lock, exactly what the decision was made on. If only the
 * balance moved (a call ended, another was authorized) it decides again from the figures returned; if the
 * rows changed (a plan change, a suspension, a new subscription — on any node), the cache entry is dropped.</li>
 * <li>The <b>locked path</b> — on a cache miss or change, for refusals that depend on the subscription
 * (none running, suspended, metric not metered), for metrics that are not additive, and when the balance
 * keeps moving under contention — runs in one transaction: lock and fingerprint, read the customer and its
 * subscriptions, read used and held after the lock, decide, insert.</li>
 * </ul>
 * Both commit the reservation asynchronously (see {@link AuthorizationRepository#insert}). A single check whose
 * customer is cached first tries the fast path's group form: checks arriving together share one group
 * compare-and-reserve statement ({@link SharedRoundTrip}), and only what the group does not stand by goes on to
 * the fast and locked paths.
 */
public final class AuthorizationService {
    public static final BigDecimal DEFAULT_GRANT = BigDecimal.valueOf(3600);
    public static final Duration DEFAULT_TTL = Duration.ofHours(2);
    /** Beyond this many cached customers the cache is emptied (it refills from the database on demand). */
    private static final int MAX_CACHED_CUSTOMERS = 50_000;
    /** Compare-and-reserve attempts before the fast path gives way to waiting for the lock. */
    private static final int FAST_ATTEMPTS = 3;
    private final Transactions tx;
    private final AuthorizationRepository authorizations;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final UsageRepository usage;
    private final MeteringService metering;
    private final CustomerTime time;
    private final Cache<CustomerKey, Resolved> resolved = Caches.idle("authorization_customers", MAX_CACHED_CUSTOMERS, Duration.ofMinutes(30));
    private WalletService wallets;
    private final AuthorizationBatch batch = new AuthorizationBatch(this);
    private final SharedRoundTrip<Check, Decision> shared = new SharedRoundTrip<>("accrue_authorization_group_checks",
            "Single authorization checks sharing one compare-and-reserve statement",
            (tenant, checks) -> java.util.Arrays.asList(decideGrouped(tenant, checks.toArray(Check[]::new))));
    private final CallEnds ends;

    public AuthorizationService(Transactions tx, AuthorizationRepository authorizations, SubscriptionRepository subscriptions,
                                CustomerRepository customers, CatalogService catalogs, BillingService billing, UsageRepository usage,
                                MeteringService metering, CustomerTime time) {
        this.tx = tx;
        this.authorizations = authorizations;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.usage = usage;
        this.metering = metering;
        this.time = time;
        this.ends = new CallEnds(tx, authorizations, catalogs, metering, time, this::ended);
    }

    private record CustomerKey(String tenantId, String customerId) {
    }

    /**
     * What a customer's rows imply for authorization, valid while their fingerprint ({@code signature}) is
     * unchanged: its clock, its currency, its subscriptions, the terms of each (subscription, metric), and
     * the balance last seen per (subscription, metric, allowance window) — only a guess, checked under the lock.
     */
    private record Resolved(String signature, CustomerClock clock, String currency, List<Subscription> subscriptions,
                            ConcurrentHashMap<WindowKey, Terms> terms, ConcurrentHashMap<WindowKey, Seen> seen, dev.accrue.core.customer.Customer customer) {
        /** A prepaid customer's balance moves with its wallet, which no cached figure follows: always the locked path. */
        boolean prepaid() {
            return WalletService.prepaid(customer);
        }
    }

    private record Seen(BigDecimal used, BigDecimal held) {
    }

    /**
     * A (subscription, metric, window start) as a map key: a record, not a concatenated string — the string (with the
     * date formatted) was built three times per check, about a seventh of the bytes a check allocated.
     */
    private record WindowKey(String subscriptionId, String metric, LocalDate start) {
    }

    /** A (customer, metric) as a map key, for the same reason. */
    private record MetricKey(String customerId, String metric) {
    }

    /**
     * A metered charge's terms as authorization uses them: the charge (for its allowance windows), how its
     * metric aggregates, the included quantity and what the overage policy allows (null = unlimited); or the
     * error to answer when the plan does not meter the metric.
     */
    private record Terms(MeteredCharge charge, Aggregation aggregation, BigDecimal included, BigDecimal overageAllowed, AccrueException error) {
        boolean additive() {
            return aggregation == Aggregation.SUM || aggregation == Aggregation.COUNT;
        }
    }

    /** The customer's today, its running subscription (null when none), that subscription's terms and current allowance window. */
    private record Plan(Instant now, LocalDate today, Subscription sub, Terms terms, Period window, Period period) {
        boolean answerable() {
            return sub != null && sub.statusOn(today) != SubscriptionStatus.SUSPENDED && terms.error() == null;
        }

        WindowKey seenKey() {
            return new WindowKey(sub.id(), terms.charge().metric(), window.start());
        }
    }

    /** Lets prepaid wallets bound what may be authorized (wired after both exist). */
    public void useWallets(WalletService wallets) {
        this.wallets = wallets;
    }

    /** Decides (see {@link #decide}) and counts the outcome for /metrics: granted, refused, or an error by code. */
    public Decision authorize(Caller caller, String customerId, String metricCode, BigDecimal requested, Integer ttlSeconds) {
        try {
            Decision d = decide(caller, customerId, metricCode, requested, ttlSeconds);
            authorizationsCounted(d.authorized() ? "granted" : "refused", "none");
            return d;
        } catch (AccrueException e) {
            authorizationsCounted("error", e.code().wire());
            throw e;
        }
    }

    static void authorizationsCounted(String outcome, String code) {
        // one counter per outcome and code, kept: building and registering it again cost more than the count, once per check
        COUNTERS.computeIfAbsent(new Outcome(outcome, code), k -> Counter.builder("accrue_authorizations").description("Authorization requests by outcome")
                .tag("outcome", outcome).tag("code", code).register(Metrics.globalRegistry)).increment();
    }

    /** accrue_authorizations by outcome and code (both from fixed sets: three outcomes, the error codes). */
    private static final ConcurrentHashMap<Outcome, Counter> COUNTERS = new ConcurrentHashMap<>();

    private record Outcome(String outcome, String code) {
    }

    /** A check as validated: who, which metric, how much (default applied) and for how long. */
    record Check(String customerId, String metric, BigDecimal want, Duration ttl) {
    }

    /** Validates one check's fields as the single endpoint does; {@code prefix} names where it sits in a batch ("" alone). */
    static Check check(String prefix, String customerId, String metricCode, BigDecimal requested, Integer ttlSeconds) {
        if (customerId == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, prefix + "customer_id", prefix + "customer_id is required");
        }
        if (metricCode == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, prefix + "metric", prefix + "metric is required");
        }
        if (requested != null && (requested.signum() <= 0 || requested.compareTo(BigDecimal.valueOf(86_400L * 31)) > 0)) {
            throw AccrueException.invalid(prefix + "requested", prefix + "requested must be more than 0 and at most one month of seconds");
        }
        Duration ttl = ttlSeconds == null ? DEFAULT_TTL : Duration.ofSeconds(ttlSeconds);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(1)) > 0) {
            throw AccrueException.invalid(prefix + "ttl_seconds", prefix + "ttl_seconds must be 1-86400");
        }
        return new Check(customerId, metricCode, requested == null ? DEFAULT_GRANT : requested, ttl);
    }

    private Decision decide(Caller caller, String customerId, String metricCode, BigDecimal requested, Integer ttlSeconds) {
        caller.requireWrite();
        Check c = check("", customerId, metricCode, requested, ttlSeconds);
        // a cached customer's check shares a group statement with those sent at the same time (SharedRoundTrip); not inside
        // a transaction (an Idempotency-Key's), whose reservation must commit with it
        if (!tx.inProgress() && cached(caller.tenantId(), c.customerId())) {
            Decision d = shared.answer(caller.tenantId(), c);
            if (d != null) {
                return d;
            }
        }
        return decide(caller.tenantId(), c);
    }

    /** The single-check answer: the fast path when the customer is cached and it can answer, else the locked path. */
    Decision decide(String tenantId, Check c) {
        CustomerKey key = new CustomerKey(tenantId, c.customerId());
        Resolved cached = resolved.getIfPresent(key);
        if (cached != null) {
            Decision d = tx.autoCommit(() -> fast(tenantId, key, cached, c.metric(), c.want(), c.ttl()));
            if (d != null) {
                return d;
            }
        }
        return tx.inTransaction(() -> locked(tenantId, key, c.metric(), c.want(), c.ttl()));
    }

    /** Answers a batch of checks as if each were sent alone, in order (see {@link AuthorizationBatch}). */
    public List<AuthorizationBatch.Answer> authorizeAll(Caller caller, List<AuthorizationBatch.Item> items) {
        return batch.authorize(caller, items);
    }

    boolean cached(String tenantId, String customerId) {
        return resolved.getIfPresent(new CustomerKey(tenantId, customerId)) != null;
    }

    /**
     * A batch's shared round trip. Decides in memory, in order, each check (null entries are skipped) whose
     * customer is cached and that the fast path could answer, chaining a customer's expectations (a check
     * expects the reservations of the checks before it), then sends them all in one group compare-and-reserve
     * ({@link AuthorizationRepository#reserveGroup}). Returns the decisions it stands by; null for the rest —
     * a customer's rows changed or locked elsewhere, a balance that moved, what only the locked path answers —
     * which are always all of a customer's checks from its first one left, so answering them afterwards one at
     * a time keeps each customer's order.
     */
    Decision[] decideGrouped(String tenantId, Check[] checks) {
        return tx.autoCommit(() -> grouped(tenantId, checks)); // as the fast path: reads (a test clock, terms) and then one statement
    }

    private Decision[] grouped(String tenantId, Check[] checks) {
        record Pending(int index, CustomerKey key, Resolved r, Plan p, Seen seen, Seen after, BigDecimal available, BigDecimal granted,
                       Authorization a) {
        }
        Map<CustomerKey, Resolved> used = new HashMap<>(); // one cache entry per customer for the whole statement
        java.util.Set<CustomerKey> left = new java.util.HashSet<>();
        Map<WindowKey, Seen> expected = new HashMap<>();
        Map<MetricKey, Plan> plans = new HashMap<>();
        List<Pending> pending = new java.util.ArrayList<>();
        for (int i = 0; i < checks.length; i++) {
            Check c = checks[i];
            CustomerKey key = c == null ? null : new CustomerKey(tenantId, c.customerId());
            if (c == null || left.contains(key)) {
                continue;
            }
            Resolved r = used.computeIfAbsent(key, resolved::getIfPresent);
            // one plan per customer and metric: its checks share one `now`, as the group statement expects
            Plan p = r == null || r.prepaid() ? null : plans.computeIfAbsent(new MetricKey(c.customerId(), c.metric()), m -> plan(tenantId, r, c.metric()));
            Seen seen = p == null || !p.answerable() || !p.terms().additive() ? null : expected.computeIfAbsent(p.seenKey(), r.seen()::get);
            if (seen == null) {
                left.add(key);
                continue;
            }
            BigDecimal available = available(p.terms().included(), p.terms().overageAllowed(), seen.used(), seen.held());
            BigDecimal granted = grant(c.want(), available);
            Authorization a = new Authorization(Ids.next("auth"), p.sub().id(), c.customerId(), c.metric(), granted.max(BigDecimal.ZERO),
                    Authorization.HELD, null, p.now().plus(c.ttl()), time.systemNow());
            Seen after = new Seen(seen.used(), granted.signum() > 0 ? seen.held().add(granted) : seen.held());
            expected.put(p.seenKey(), after);
            pending.add(new Pending(i, key, r, p, seen, after, available, granted, a));
        }
        Decision[] decided = new Decision[checks.length];
        if (pending.isEmpty()) {
            return decided;
        }
        List<AuthorizationRepository.GroupCheck> group = pending.stream().map(x -> new AuthorizationRepository.GroupCheck(x.r().signature(),
                x.p().window().start(), x.p().window().end(), x.p().now(), x.seen().used(), x.seen().held(), x.a())).toList();
        var results = group.size() <= ONE_AT_A_TIME ? oneAtATime(tenantId, group) : authorizations.reserveGroup(tenantId, group);
        if (results.size() != pending.size()) {
            throw new IllegalStateException("group reserve answered " + results.size() + " rows for " + pending.size() + " checks");
        }
        for (int j = 0; j < pending.size(); j++) {
            Pending x = pending.get(j);
            var result = results.get(j);
            if (result.busy()) {
                continue;
            }
            if (!x.r().signature().equals(result.signature())) {
                resolved.asMap().remove(x.key(), x.r());
            } else if (result.decided()) {
                x.r().seen().put(x.p().seenKey(), x.after());
                decided[x.index()] = decision(x.p().terms(), x.seen().used(), x.available(), x.granted(), x.a());
            } else if (result.used() != null) { // the balance moved: the one-at-a-time answer starts from what the lock saw
                x.r().seen().put(x.p().seenKey(), new Seen(result.used(), result.held()));
            }
        }
        return decided;
    }

    /**
     * Groups up to this many checks are sent as one plain statement each ({@link AuthorizationRepository#reserveOne}): the
     * set-based group statement costs the database ~1.7 ms whatever it holds (its statements over arrays are planned at
     * every call), a plain one 0.13–0.20 ms plus its round trip and commit (measured side by side on the benchmark's
     * database, loaded machine) — so below about ten checks, one at a time is cheaper, and a single check finding a lead
     * free (nearly every one below ~2,000 checks/s on 2 cores) is a group of one. Kept at 6 after alternating runs with
     * 1 and 0 (docs/architecture.md, "Authorization, 2026-12-01 late night"): with 1, groups of 2–6 paid the set-based
     * statement and PostgreSQL's CPU per check rose by a third.
     */
    static final int ONE_AT_A_TIME = 6;

    /**
     * {@link AuthorizationRepository#reserveGroup}'s answers, one statement (its own transaction) per check in order: a
     * customer whose check is not decided is stopped — its later checks are sent nowhere and answered busy, so they are
     * answered afterwards one at a time, in order, exactly as after the group statement. Its later checks' expectations
     * count the reservations its earlier checks took, which each later statement sees committed.
     */
    private List<AuthorizationRepository.GroupReservation> oneAtATime(String tenantId, List<AuthorizationRepository.GroupCheck> group) {
        List<AuthorizationRepository.GroupReservation> answers = new java.util.ArrayList<>(group.size());
        java.util.Set<String> stopped = new java.util.HashSet<>();
        for (AuthorizationRepository.GroupCheck c : group) {
            if (stopped.contains(c.a().customerId())) {
                answers.add(new AuthorizationRepository.GroupReservation(null, null, null, false, true));
                continue;
            }
            var answer = authorizations.reserveOne(tenantId, c);
            if (!answer.decided()) {
                stopped.add(c.a().customerId());
            }
            answers.add(answer);
        }
        return answers;
    }

    /** The fast path (see the class comment); null when the locked path must answer. Runs outside a transaction. */
    private Decision fast(String tenantId, CustomerKey key, Resolved r, String metricCode, BigDecimal want, Duration ttl) {
        if (r.prepaid()) {
            return null;
        }
        Plan p = plan(tenantId, r, metricCode);
        if (!p.answerable() || !p.terms().additive()) {
            return null;
        }
        WindowKey seenKey = p.seenKey();
        Seen seen = r.seen().get(seenKey);
        for (int attempt = 0; attempt < FAST_ATTEMPTS; attempt++) {
            BigDecimal used = seen == null ? null : seen.used();
            BigDecimal held = seen == null ? null : seen.held();
            BigDecimal available = seen == null ? null : available(p.terms().included(), p.terms().overageAllowed(), used, held);
            BigDecimal granted = seen == null ? BigDecimal.ZERO : grant(want, available);
            Authorization a = new Authorization(Ids.next("auth"), p.sub().id(), key.customerId(), metricCode, granted.max(BigDecimal.ZERO),
                    Authorization.HELD, null, p.now().plus(ttl), time.systemNow());
            var result = authorizations.reserve(tenantId, r.signature(), p.window().start(), p.window().end(), p.now(), used, held, a);
            if (!r.signature().equals(result.signature())) {
                resolved.asMap().remove(key, r);
                return null;
            }
            if (result.decided()) {
                r.seen().put(seenKey, new Seen(used, granted.signum() > 0 ? held.add(granted) : held));
                return decision(p.terms(), used, available, granted, a);
            }
            seen = new Seen(result.used(), result.held()); // the balance moved: decide again on what the lock saw
        }
        return null;
    }

    /** The locked path (see the class comment), inside one transaction. */
    private Decision locked(String tenantId, CustomerKey key, String metricCode, BigDecimal want, Duration ttl) {
        String signature = authorizations.lockedBalance(tenantId, key.customerId(), null, metricCode, null, null, Instant.EPOCH).signature();
        Resolved r = load(tenantId, key.customerId(), signature);
        resolved.put(key, r);
        Plan p = plan(tenantId, r, metricCode);
        if (p.sub() == null) {
            throw new AccrueException(ErrorCode.NO_ACTIVE_SUBSCRIPTION, "customer_id",
                    "Customer " + key.customerId() + " has no running subscription that meters " + metricCode);
        }
        if (p.sub().statusOn(p.today()) == SubscriptionStatus.SUSPENDED) {
            return new Decision(false, null, BigDecimal.ZERO, BigDecimal.ZERO, null, null, "subscription_suspended");
        }
        if (p.terms().error() != null) {
            throw p.terms().error();
        }
        Terms terms = r.prepaid() ? prepaid(tenantId, r, p) : p.terms();
        var balance = authorizations.lockedBalance(tenantId, key.customerId(), p.sub().id(), metricCode,
                terms.additive() ? p.window().start() : null, p.window().end(), p.now());
        BigDecimal used = terms.additive() ? balance.used() : nonAdditiveUsed(tenantId, p.sub().id(), metricCode, terms.aggregation(), p.window());
        BigDecimal held = balance.held();
        BigDecimal available = available(terms.included(), terms.overageAllowed(), used, held);
        BigDecimal granted = grant(want, available);
        Authorization a = new Authorization(Ids.next("auth"), p.sub().id(), key.customerId(), metricCode, granted, Authorization.HELD, null,
                p.now().plus(ttl), time.systemNow());
        if (granted.signum() > 0) {
            authorizations.insert(tenantId, a);
        }
        if (terms.additive()) {
            r.seen().put(p.seenKey(), new Seen(used, granted.signum() > 0 ? held.add(granted) : held));
        }
        return decision(terms, used, available, granted, a);
    }

    private Plan plan(String tenantId, Resolved r, String metricCode) {
        Instant now = time.now(tenantId, r.clock());
        LocalDate today = LocalDate.ofInstant(now, r.clock().zone());
        Subscription sub = running(tenantId, r.subscriptions(), metricCode, today);
        Period period = sub == null ? null : ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, today);
        Terms terms = sub == null ? null : terms(tenantId, r, sub, metricCode, period);
        if (sub == null || terms.error() != null) {
            return new Plan(now, today, sub, terms, null, period);
        }
        Period window = UsageBilling.windows(terms.charge().allowances(), period).stream().filter(w -> w.contains(today)).findFirst().orElse(period);
        return new Plan(now, today, sub, terms, window, period);
    }

    /**
     * A prepaid customer's terms: overage is also bounded by the money it has for usage — what its wallet
     * already paid for this period plus what it can still spend, less what the period's other usage costs —
     * so calls never start on an empty wallet. Computed under the lock from the same pricing as the invoice,
     * and right even while a real-time drawdown is still catching up (undrawn cost is subtracted here).
     */
    private Terms prepaid(String tenantId, Resolved r, Plan p) {
        Terms t = p.terms();
        var customer = r.customer();
        String currency = r.currency();
        Money spendable = wallets.spendable(tenantId, customer);
        Money drawn = wallets.drawnFor(tenantId, customer, p.sub().id(), UsageWindows.key(UsageWindows.PERIOD, p.period()));
        var lines = billing.usageLines(tenantId, p.sub(), p.period(), customer, billing.rounding(tenantId), dev.accrue.core.catalog.ResetCadence.BILLING_PERIOD);
        Money all = Money.zero(currency);
        Money mine = Money.zero(currency);
        for (var line : lines) {
            all = all.plus(line.amount());
            mine = line.chargeCode().equals(t.charge().code()) ? mine.plus(line.amount()) : mine;
        }
        Money left = drawn.plus(spendable).minus(all);
        BigDecimal affordable;
        if (t.charge().pricing() != null) {
            Money forThisCharge = mine.plus(left);
            affordable = forThisCharge.isNegative() ? BigDecimal.ZERO
                    : UsagePricer.unitsAffordable(t.charge().pricing(), forThisCharge).orElse(null);
        } else {
            affordable = left.isPositive() ? null : BigDecimal.ZERO; // priced per destination: allowed while money is left
        }
        BigDecimal allowed = t.overageAllowed() == null ? affordable : affordable == null ? t.overageAllowed() : t.overageAllowed().min(affordable);
        return new Terms(t.charge(), t.aggregation(), t.included(), allowed, t.error());
    }

    /**
     * The balance: available = included + overageAllowed − used − held, never below zero; null when the
     * overage policy allows unlimited usage. The one place the terms of "available" meet (a prepaid wallet's
     * units will join here).
     */
    static BigDecimal available(BigDecimal included, BigDecimal overageAllowed, BigDecimal used, BigDecimal held) {
        return overageAllowed == null ? null : included.add(overageAllowed).subtract(used).subtract(held).max(BigDecimal.ZERO);
    }

    private static BigDecimal grant(BigDecimal want, BigDecimal available) {
        return available == null ? want : want.min(available);
    }

    private static Decision decision(Terms terms, BigDecimal used, BigDecimal available, BigDecimal granted, Authorization a) {
        if (granted.signum() <= 0) {
            String reason = terms.charge().overage().policy() == Overage.OveragePolicy.BLOCK ? "usage_blocked" : "balance_exhausted";
            return new Decision(false, null, BigDecimal.ZERO, BigDecimal.ZERO, used, terms.included(), reason);
        }
        return new Decision(true, a.id(), granted.stripTrailingZeros(), available == null ? null : available.stripTrailingZeros(),
                used.stripTrailingZeros(), terms.included().stripTrailingZeros(), null);
    }

    /** Usage so far of a metric that is not a plain sum (max, unique count, …), folded like the invoice folds it. */
    private BigDecimal nonAdditiveUsed(String tenantId, String subscriptionId, String metricCode, Aggregation aggregation, Period window) {
        var stored = aggregation == Aggregation.UNIQUE_COUNT
                ? usage.firstSeen(tenantId, subscriptionId, metricCode, window.start(), window.end())
                : usage.daily(tenantId, subscriptionId, metricCode, window.start(), window.end());
        return UsageBilling.fold(aggregation, stored.stream().map(d -> new UsageBilling.DayUsage(d.day(), d.dimensionKey(), d.quantity(), d.events())).toList());
    }

    /** Reads what {@link Resolved} caches, with the subscriptions already locked by the caller. */
    private Resolved load(String tenantId, String customerId, String signature) {
        var customer = customers.find(tenantId, customerId)
                .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "customer_id", "No customer with id '" + customerId + "'"));
        var clock = new CustomerClock(customer.id(), customer.timeZone(), customer.testClockId());
        // a null signature (the customer appeared after the lock was taken) never equals a later one, so it is never trusted
        return new Resolved(signature == null ? "" : signature, clock, customer.currency().getCurrencyCode(),
                List.copyOf(subscriptions.forCustomerForUpdate(tenantId, customerId)), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), customer);
    }

    /**
     * The charge's terms in {@code period}: the plan with its overrides, what add-ons grant (packages, bundles)
     * and allowances derived from counts (emails = 4 × contacts) — cached per period, and refreshed when an add-on
     * changes because that touches the subscription's row.
     */
    private Terms terms(String tenantId, Resolved r, Subscription sub, String metricCode, Period period) {
        return r.terms().computeIfAbsent(new WindowKey(sub.id(), metricCode, period.start()), k -> {
            var plan = billing.counted().withDerivedAllowances(tenantId, sub, r.customer(), billing.planFor(tenantId, sub, period), period);
            Metric metric = catalogs.catalog(tenantId, sub.catalogVersion()).metric(metricCode).orElseThrow();
            var charge = plan.charges().stream().filter(c -> c instanceof MeteredCharge m && m.metric().equals(metricCode))
                    .map(c -> (MeteredCharge) c).findFirst();
            if (charge.isEmpty()) {
                return new Terms(null, metric.aggregation(), null, null,
                        new AccrueException(ErrorCode.NO_CHARGE_FOR_METRIC, "metric", "Subscription " + sub.id() + " has no charge for '" + metricCode
                                + "' (its plan does not meter it and no add-on in force does): such usage would never be billed"));
            }
            BigDecimal included = charge.get().allowances().stream().map(Allowance::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            return new Terms(charge.get(), metric.aggregation(), included, overageAllowed(charge.get(), r.currency()), null);
        });
    }

    /**
     * Ends a call: records its actual usage as an event (id = the authorization's, so a retried commit is a
     * duplicate) and frees the rest of the reservation, sharing a transaction with ends that arrive together ({@link CallEnds}).
     */
    public EventResult commit(Caller caller, String id, BigDecimal actual, Map<String, Object> properties) {
        return ends.commit(caller, id, actual, properties);
    }

    /** Call ends waiting for a group's transaction on this node (for tests: a group forms only from ends that wait). */
    public int callEndsWaiting() {
        return ends.waiting();
    }

    /**
     * After a call's end has committed on this node: the balance remembered for its subscription and metric is moved as
     * the end moved it — its hold gone (unless already past its expiry, which no check counts), its usage added — so that
     * the customer's next check is not told its balance moved (a second round trip). Only a guess, as every remembered
     * balance: the compare-and-reserve checks it under the lock, and a wrong one (a usage the fold transformed, another
     * node's end) costs that second round trip, nothing more.
     */
    private void ended(String tenantId, Authorization a, BigDecimal actual, Instant at) {
        Resolved r = resolved.getIfPresent(new CustomerKey(tenantId, a.customerId()));
        if (r == null) {
            return;
        }
        Terms terms = null;
        for (var t : r.terms().entrySet()) {
            if (t.getKey().subscriptionId().equals(a.subscriptionId()) && t.getKey().metric().equals(a.metric())) {
                terms = t.getValue();
            }
        }
        WindowKey latest = null; // the window checks use now (earlier ones stay remembered until the customer's entry goes)
        for (WindowKey k : r.seen().keySet()) {
            if (k.subscriptionId().equals(a.subscriptionId()) && k.metric().equals(a.metric()) && (latest == null || k.start().isAfter(latest.start()))) {
                latest = k;
            }
        }
        Seen before = latest == null ? null : r.seen().get(latest);
        if (terms == null || !terms.additive() || before == null) {
            return;
        }
        BigDecimal used = terms.aggregation() == Aggregation.COUNT ? BigDecimal.ONE : actual;
        BigDecimal freed = a.expiresAt().isAfter(at) ? a.reserved() : BigDecimal.ZERO;
        r.seen().replace(latest, before, new Seen(before.used().add(used), before.held().subtract(freed)));
    }

    public void release(Caller caller, String id) {
        caller.requireWrite();
        tx.run(() -> {
            Authorization a = authorizations.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("authorization", id));
            if (!CallEnds.open(a)) {
                throw new AccrueException(ErrorCode.AUTHORIZATION_SETTLED, "Authorization " + id + " is already " + a.status());
            }
            authorizations.settle(caller.tenantId(), id, Authorization.RELEASED, null, time.systemNow());
        });
    }

    /** Reservations marked expired per statement of {@link #expireDue}. */
    private static final int EXPIRE_BATCH = 10_000;
    /**
     * How long past its expiry a hold stays held: longer than nodes' clocks may disagree, so that no check on any node still
     * counts a hold when it is marked expired (each check counts only holds with {@code expires_at > now}, its own now).
     */
    static final Duration EXPIRY_GRACE = Duration.ofMinutes(1);

    /**
     * The one place reservations expire (a recurring job, on one node at a time): marks held reservations past their
     * expiry, by their customer's clock, as expired, in batches; answers how many. The held sum of every check already
     * leaves them out, so no balance moves; what changes is that they leave the index of held rows, which without this
     * kept every reservation never committed or released, growing without bound.
     */
    public int expireDue() {
        int total = 0;
        int done;
        do {
            done = tx.inTransaction(() -> authorizations.expire(time.systemNow(), EXPIRY_GRACE, EXPIRE_BATCH));
            total += done;
        } while (done == EXPIRE_BATCH);
        return total;
    }

    /** Overage units the policy allows in the period: 0 when blocked, null when unlimited, the cap's worth when capped. */
    private static BigDecimal overageAllowed(MeteredCharge charge, String currency) {
        return switch (charge.overage().policy()) {
            case BLOCK -> BigDecimal.ZERO;
            case CHARGE -> charge.pricing() == null && charge.rateTable() == null ? BigDecimal.ZERO : null;
            case CHARGE_UP_TO_CAP -> {
                if (charge.pricing() == null) {
                    yield BigDecimal.ZERO;
                }
                yield UsagePricer.unitsAffordable(charge.pricing(), Money.of(charge.overage().cap().get(currency), currency)).orElse(null);
            }
        };
    }

    /** The customer's subscription running today whose catalog defines the metric; null when none. */
    private Subscription running(String tenantId, List<Subscription> subs, String metric, LocalDate today) {
        for (Subscription s : subs) {
            boolean live = !today.isBefore(s.startDate()) && (s.endedOn() == null || today.isBefore(s.endedOn()));
            if (live && catalogs.catalog(tenantId, s.catalogVersion()).metric(metric).isPresent()) {
                return s;
            }
        }
        return null;
    }
}

package dev.accrue.app.payment;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.payment.gateway.GatewayCharge;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.money.Money;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * Charges what is due: invoices of auto-pay customers (the default method, then the backups in order; again on
 * each retry of the dunning schedule) and prepaid wallets asking for their auto-recharge. It runs from the
 * scheduler, and after a test clock advanced — never inside the transaction that finalized an invoice.
 *
 * <p>Never twice, by construction: each try is three steps. (1) In a short transaction the collection row is
 * locked and a {@code pending} payment is inserted — unique per (invoice, round, method) — and committed. (2) The
 * gateway is called outside any transaction with that payment's id as idempotency key. (3) In a second transaction
 * the outcome is recorded, only if the payment is still pending. Nodes claim collections with SKIP LOCKED and a
 * lease ({@code in_flight_since}); a node that dies after (2) leaves a pending payment which the next node, once
 * the lease is stale, sends again with the same key: the gateway answers with the first answer and moves no money
 * again, and the outcome is recorded once. Only while the key is younger than the resend window: an older attempt
 * is looked up at the gateway instead ({@link PaymentGateway#lookup}), and marked for review when the gateway holds
 * no charge for it — never sent under a key the gateway may have forgotten.
 */
public final class CollectionRunner {
    /** How long an attempt handed to the gateway is left alone before another node assumes its node died. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(2);
    private static final int MAX_TRIES_PER_COLLECTION = 50;
    /** Gateway calls in flight at once per node (a sandbox call holds one database connection; a real one, a socket). */
    private static final int WORKERS = 8;
    /** Collections whose attempts are stored, and whose outcomes are recorded, in one transaction. */
    private static final int CHUNK = 50;
    /** Chunks worked at once per node (each holds one database connection in its transactions). */
    private static final int CHUNK_WORKERS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(CollectionRunner.class);
    private final Transactions tx;
    private final PaymentRepository payments;
    private final PaymentMethodRepository methods;
    private final CustomerRepository customers;
    private final PaymentGateway gateway;
    private final PaymentApplication application;
    private final Dunning dunning;
    private final WalletService wallets;
    private final AuditLog audit;
    private final DomainEvents events;
    private final CustomerTime time;
    private final CollectionBatch batch;
    private final Duration resendWindow;

    /**
     * {@code resendWindow}: how old an attempt's idempotency key may be and still be sent again under it — less than
     * the gateway keeps keys (Stripe: 24 hours). An older attempt whose outcome is unknown is looked up instead.
     */
    public CollectionRunner(Transactions tx, PaymentRepository payments, PaymentMethodRepository methods, CustomerRepository customers, PaymentGateway gateway,
                            PaymentApplication application, Dunning dunning, WalletService wallets, AuditLog audit, DomainEvents events, CustomerTime time,
                            CollectionBatch batch, Duration resendWindow) {
        this.tx = tx;
        this.payments = payments;
        this.methods = methods;
        this.customers = customers;
        this.gateway = gateway;
        this.application = application;
        this.dunning = dunning;
        this.wallets = wallets;
        this.audit = audit;
        this.events = events;
        this.time = time;
        this.batch = batch;
        this.resendWindow = resendWindow;
    }

    /**
     * One try handed to the gateway: the stored pending payment and the charge that names it. {@code lookUp}: the
     * attempt's key is older than the resend window, so the gateway is asked what became of it instead of being
     * sent it again ({@link PaymentGateway#lookup}).
     */
    public record Attempt(String tenantId, String customerId, String invoiceId, String paymentId, GatewayCharge charge, boolean lookUp) {
        public Attempt(String tenantId, String customerId, String invoiceId, String paymentId, GatewayCharge charge) {
            this(tenantId, customerId, invoiceId, paymentId, charge, false);
        }
    }

    /** Collects everything due across tenants (by each customer's clock), in batches of {@code batch}; returns the collections worked on. */
    public int runDue(int batch, Duration staleAfter) {
        return run(batch, staleAfter, null, null);
    }

    /** What is due for the customers of one test clock, at its new time. */
    public int runForTestClock(String tenantId, String testClockId) {
        return run(200, DEFAULT_STALE_AFTER, tenantId, testClockId);
    }

    private int run(int batch, Duration staleAfter, String clockTenant, String clockId) {
        int worked = 0;
        for (int round = 0; round < 1000; round++) {
            Instant now = time.systemNow();
            List<Collection> claimed = tx.inTransaction(() -> payments.claimDue(now, now.minus(staleAfter), batch, clockTenant, clockId));
            inParallel(claimed);
            worked += claimed.size();
            if (claimed.size() < batch) {
                break;
            }
        }
        for (PaymentRepository.RechargeDue r : tx.inTransaction(() -> payments.claimRecharges(batch, clockTenant, clockId))) {
            recharge(r);
        }
        return worked;
    }

    /**
     * Works a claimed batch in chunks of {@link #CHUNK}, {@link #CHUNK_WORKERS} chunks at a time, each in three steps
     * that keep every guarantee of {@link #collect} while sharing the commits: (1) one transaction stores the chunk's
     * attempts (each exactly as {@link #begin} stores it) and commits — every attempt is durable before any gateway
     * call; (2) the gateway is called for all of them, at most {@link #WORKERS} calls in flight per node; (3) one
     * transaction records every outcome through {@link #settle} and numbers the chunk's receipts last, with one move
     * of the tenant's counter (so the counter, which serializes a tenant's receipts, is locked for a few statements
     * per chunk instead of a commit per invoice). The batch is sorted by customer and cut into contiguous chunks, so
     * concurrent chunks (and other nodes' chunks) lock customers in one order and cannot deadlock on them. A chunk
     * whose transaction fails anyway is done again one collection at a time (each step is idempotent: an attempt
     * stored already is found again, an outcome recorded already changes nothing); a collection whose method declined
     * goes on alone through {@link #collect} (the next method, or dunning), as before.
     */
    private void inParallel(List<Collection> claimed) {
        if (claimed.size() <= 1 || tx.inProgress()) {
            claimed.forEach(c -> collectLogged(c.tenantId(), c.invoiceId()));
            return;
        }
        List<Collection> ordered = new ArrayList<>(claimed);
        ordered.sort(Comparator.comparing(Collection::tenantId).thenComparing(Collection::customerId).thenComparing(Collection::invoiceId));
        Semaphore chunks = new Semaphore(CHUNK_WORKERS);
        Semaphore calls = new Semaphore(WORKERS);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int from = 0; from < ordered.size(); from += CHUNK) {
                List<Collection> chunk = ordered.subList(from, Math.min(ordered.size(), from + CHUNK));
                chunks.acquireUninterruptibly();
                pool.submit(() -> {
                    try {
                        List<Attempt> attempts = beginAll(chunk);
                        List<GatewayOutcome> outcomes = callAll(attempts, calls);
                        for (Attempt next : settleAll(attempts, outcomes)) {
                            collectLogged(next.tenantId(), next.invoiceId());
                        }
                    } catch (RuntimeException e) {
                        LOG.error("Collecting a chunk of {} invoices failed; the next run tries again", chunk.size(), e);
                    } finally {
                        chunks.release();
                    }
                });
            }
        }
    }

    /** Step 1 for a chunk, in one transaction, set-based for the plain tries ({@link CollectionBatch}); one at a time if that fails. */
    private List<Attempt> beginAll(List<Collection> chunk) {
        try {
            int[] setBased = new int[1];
            List<Attempt> stored = tx.inTransaction(() -> {
                CollectionBatch.Begun begun = batch.begin(chunk);
                List<Attempt> attempts = new ArrayList<>(begun.attempts());
                setBased[0] = attempts.size();
                for (Collection c : begun.rest()) {
                    Attempt a = begin(c.tenantId(), c.invoiceId());
                    if (a != null) {
                        attempts.add(a);
                    }
                }
                return attempts;
            });
            CollectionMeters.attempts("begin", CollectionMeters.SET_BASED, setBased[0]);
            CollectionMeters.attempts("begin", CollectionMeters.ONE_AT_A_TIME, stored.size() - setBased[0]);
            return stored;
        } catch (RuntimeException e) {
            LOG.warn("Storing {} payment attempts together failed; storing them one at a time", chunk.size(), e);
            CollectionMeters.fallback("begin");
            List<Attempt> attempts = new ArrayList<>();
            for (Collection c : chunk) {
                try {
                    Attempt a = begin(c.tenantId(), c.invoiceId());
                    if (a != null) {
                        attempts.add(a);
                    }
                } catch (RuntimeException one) {
                    LOG.error("Collecting invoice {} of tenant {} failed; the next run tries again", c.invoiceId(), c.tenantId(), one);
                }
            }
            return attempts;
        }
    }

    /** Step 2: every stored attempt to the gateway, {@link #WORKERS} at once; null where the call threw (left pending, sent again later). */
    private List<GatewayOutcome> callAll(List<Attempt> attempts, Semaphore slots) {
        GatewayOutcome[] outcomes = new GatewayOutcome[attempts.size()];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < attempts.size(); i++) {
                int at = i;
                slots.acquireUninterruptibly();
                pool.submit(() -> {
                    try {
                        outcomes[at] = call(attempts.get(at));
                    } catch (RuntimeException e) {
                        LOG.error("Charging payment {} failed; it stays pending and is sent again with the same key", attempts.get(at).paymentId(), e);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Step 3 for a chunk, in one transaction: the chunk's customers locked first (in order), plain approvals recorded
     * set-based ({@link CollectionBatch}), the rest one by one; one at a time if that fails. Returns the attempts whose
     * round goes on.
     */
    private List<Attempt> settleAll(List<Attempt> attempts, List<GatewayOutcome> outcomes) {
        try {
            int[] oneAtATime = new int[1];
            List<Attempt> goOn = tx.inTransaction(() -> {
                batch.lockCustomers(attempts.stream().collect(Collectors.groupingBy(Attempt::tenantId, Collectors.mapping(Attempt::customerId, Collectors.toList()))));
                List<Attempt> next = new ArrayList<>();
                Map<String, List<String>> receipts = new TreeMap<>();
                List<Integer> rest = batch.settleApproved(attempts, outcomes, receipts);
                oneAtATime[0] = rest.size();
                for (int i : rest) {
                    if (outcomes.get(i) != null && settle(attempts.get(i), outcomes.get(i), receipts)) {
                        next.add(attempts.get(i));
                    }
                }
                receipts.forEach(application::numberReceipts);
                return next;
            });
            CollectionMeters.attempts("settle", CollectionMeters.SET_BASED, attempts.size() - oneAtATime[0]);
            CollectionMeters.attempts("settle", CollectionMeters.ONE_AT_A_TIME, oneAtATime[0]);
            return goOn;
        } catch (RuntimeException e) {
            LOG.warn("Recording {} payment outcomes together failed; recording them one at a time", attempts.size(), e);
            CollectionMeters.fallback("settle");
            List<Attempt> goOn = new ArrayList<>();
            for (int i = 0; i < attempts.size(); i++) {
                try {
                    if (outcomes.get(i) != null && settle(attempts.get(i), outcomes.get(i))) {
                        goOn.add(attempts.get(i));
                    }
                } catch (RuntimeException one) {
                    LOG.error("Recording payment {} failed; it stays pending and is sent again with the same key", attempts.get(i).paymentId(), one);
                }
            }
            return goOn;
        }
    }

    private void collectLogged(String tenantId, String invoiceId) {
        try {
            collect(tenantId, invoiceId);
        } catch (RuntimeException e) {
            LOG.error("Collecting invoice {} of tenant {} failed; the next run tries again", invoiceId, tenantId, e);
        }
    }

    /** Tries the invoice's methods in order until one pays or the round is over. */
    public void collect(String tenantId, String invoiceId) {
        for (int i = 0; i < MAX_TRIES_PER_COLLECTION; i++) {
            Attempt attempt = begin(tenantId, invoiceId);
            if (attempt == null) {
                return;
            }
            if (!settle(attempt, call(attempt))) {
                return;
            }
        }
    }

    /** Step 1: the next try stored as a pending payment (or the pending one a dead node left); null when nothing is to be tried. */
    public Attempt begin(String tenantId, String invoiceId) {
        return tx.inTransaction(() -> {
            Collection seen = payments.collection(tenantId, invoiceId).orElse(null);
            if (seen == null) {
                return null;
            }
            // one customer's collections, payments and suspension change one at a time: the customer's lock first, always
            methods.lockCustomer(tenantId, seen.customerId());
            Collection c = payments.lockCollection(tenantId, invoiceId).orElse(null);
            if (c == null || Set.of(Collection.PAID, Collection.CLOSED, Collection.SUSPENDED, Collection.WAITING_FOR_METHOD).contains(c.stage())) {
                return null;
            }
            Customer customer = customers.find(tenantId, c.customerId()).orElseThrow();
            PaymentRepository.InvoiceAmounts invoice = payments.lockInvoice(tenantId, invoiceId).orElseThrow();
            if (!invoice.status().equals("finalized") || !invoice.due().isPositive()) {
                String stage = invoice.status().equals("paid") ? Collection.PAID : Collection.CLOSED;
                payments.update(tenantId, with(c, stage, c.round(), c.firstFailedAt(), null, null, null), time.systemNow());
                return null;
            }
            if (c.stage().equals(Collection.GRACE)) {
                dunning.suspend(tenantId, c, customer);
                return null;
            }
            if (c.inFlightPaymentId() != null) {
                Payment pending = payments.find(tenantId, c.inFlightPaymentId()).orElseThrow();
                if (pending.status().equals(Payment.PENDING) && pending.gatewayReference() != null) {
                    return null; // the gateway accepted it and settles it later (a bank debit): its event decides, never a resend
                }
                if (pending.needsReview()) {
                    // its outcome could not be learned: an operator decides, it is never sent again (a late event still settles it)
                    payments.update(tenantId, with(c, c.stage(), c.round(), c.firstFailedAt(), null, pending.id(), null), time.systemNow());
                    return null;
                }
                if (pending.status().equals(Payment.PENDING)) {
                    PaymentMethod m = methods.find(tenantId, customer.id(), pending.methodId()).orElseThrow();
                    payments.update(tenantId, with(c, c.stage(), c.round(), c.firstFailedAt(), c.nextAttemptAt(), pending.id(), time.systemNow()),
                            time.systemNow());
                    Attempt again = attempt(tenantId, customer, invoice, pending, m);
                    return keyTooOld(pending, time.now(tenantId, customer)) ? lookUp(again) : again;
                }
            }
            List<Payment> tried = payments.attempts(tenantId, c);
            List<String> triedMethods = tried.stream().map(Payment::methodId).toList();
            List<PaymentMethod> active = methods.active(tenantId, customer.id());
            List<PaymentMethod> candidates = new ArrayList<>(active);
            candidates.removeIf(m -> c.hardDeclined().contains(m.id()) || triedMethods.contains(m.id()));
            if (candidates.isEmpty()) {
                if (active.isEmpty() && tried.isEmpty()) {
                    payments.update(tenantId, with(c, Collection.WAITING_FOR_METHOD, c.round(), c.firstFailedAt(), null, null, null), time.systemNow());
                    return null;
                }
                Payment last = tried.isEmpty() ? null : tried.getLast();
                String reason = last == null ? "no_usable_method" : last.failureCode();
                String message = last == null ? "every saved method was declined for good earlier (expired, blocked)" : last.failureMessage();
                dunning.roundFailed(tenantId, c, customer, invoice, reason, message);
                return null;
            }
            PaymentMethod m = candidates.getFirst();
            Money due = invoice.due();
            Instant now = time.now(tenantId, customer);
            Payment p = new Payment(Ids.next("pay"), customer.id(), invoiceId, Payment.INVOICE, Payment.AUTOMATIC, c.attemptKey(m.id()),
                    c.round(), m.id(), m.kind(), m.brand(), m.last4(), gateway.name(), due, null, null, null, Payment.PENDING, null, null, null, false,
                    null, null, null, now, null);
            if (!payments.insert(tenantId, p)) {
                return null; // another node stored this very try: it is that node's to finish
            }
            payments.update(tenantId, with(c, c.stage(), c.round(), c.firstFailedAt(), c.nextAttemptAt(), p.id(), time.systemNow()), time.systemNow());
            return attempt(tenantId, customer, invoice, p, m);
        });
    }

    /**
     * Step 2: the gateway, outside any transaction — the charge, or for an attempt whose key is too old to resend,
     * the question what became of it (a read that cannot charge).
     */
    public GatewayOutcome call(Attempt attempt) {
        return attempt.lookUp() ? gateway.lookup(attempt.charge(), null) : gateway.charge(attempt.charge());
    }

    /**
     * Whether the attempt's idempotency key is too old to send again: the gateway may have forgotten it (Stripe keeps
     * keys 24 hours), and a resend under a forgotten key is a new charge. Measured by the customer's clock, on which
     * the attempt's creation was stamped.
     */
    private boolean keyTooOld(Payment p, Instant now) {
        return !p.createdAt().plus(resendWindow).isAfter(now);
    }

    private static Attempt lookUp(Attempt a) {
        return new Attempt(a.tenantId(), a.customerId(), a.invoiceId(), a.paymentId(), a.charge(), true);
    }

    /**
     * An outcome learned after the call — a gateway event, a poll of a charge left processing, an operator resolving an
     * attempt marked for review — settled by the code that settles the call's own answer ({@link #settle} for invoice
     * attempts, {@link #settleRecharge} for wallet recharges). Joins the caller's transaction. A decline leaves the
     * collection due now: the next method, or dunning's next step, is the collection job's, never the caller's.
     */
    public void settleLearned(String tenantId, Payment p, GatewayOutcome outcome) {
        if (p.purpose().equals(Payment.WALLET_RECHARGE)) {
            settleRecharge(tenantId, p.id(), outcome);
        } else {
            settle(new Attempt(tenantId, p.customerId(), p.invoiceId(), p.id(), null), outcome);
        }
    }

    /** Step 3: records the outcome once; true when the next method should be tried now. */
    public boolean settle(Attempt attempt, GatewayOutcome outcome) {
        return settle(attempt, outcome, null);
    }

    /** {@code receipts}: where a batch collects the payments whose receipts it numbers at its end (per tenant); null numbers at once. */
    private boolean settle(Attempt attempt, GatewayOutcome outcome, Map<String, List<String>> receipts) {
        return tx.inTransaction(() -> {
            methods.lockCustomer(attempt.tenantId(), attempt.customerId());
            Collection c = payments.lockCollection(attempt.tenantId(), attempt.invoiceId()).orElseThrow();
            Payment p = payments.findForUpdate(attempt.tenantId(), attempt.paymentId()).orElseThrow();
            if (!p.status().equals(Payment.PENDING)) {
                return false; // recorded already (by the node that sent it first)
            }
            Customer customer = customers.find(attempt.tenantId(), p.customerId()).orElseThrow();
            Instant at = time.systemNow();
            switch (outcome) {
                case GatewayOutcome.Approved approved -> {
                    payments.settle(attempt.tenantId(), p.id(), Payment.SUCCEEDED, approved.reference(), null, null, false, at);
                    payments.update(attempt.tenantId(), with(c, c.stage(), c.round(), c.firstFailedAt(), null, null, null), at);
                    Payment succeeded = payments.find(attempt.tenantId(), p.id()).orElseThrow();
                    if (receipts == null) {
                        application.apply(attempt.tenantId(), customer, succeeded, Caller.system(attempt.tenantId()));
                    } else {
                        application.applyUnnumbered(attempt.tenantId(), customer, succeeded, Caller.system(attempt.tenantId()));
                        receipts.computeIfAbsent(attempt.tenantId(), t -> new ArrayList<>()).add(p.id());
                    }
                    return false;
                }
                case GatewayOutcome.Declined declined -> {
                    payments.settle(attempt.tenantId(), p.id(), Payment.FAILED, null, declined.code(), declined.message(), declined.hard(), at);
                    List<String> hard = new ArrayList<>(c.hardDeclined());
                    if (declined.hard() && !hard.contains(p.methodId())) {
                        hard.add(p.methodId());
                    }
                    // a decline reported later by the gateway's event finds the collection parked (no next attempt): due again now
                    Instant next = c.nextAttemptAt() != null ? c.nextAttemptAt() : time.now(attempt.tenantId(), customer);
                    payments.update(attempt.tenantId(), new Collection(c.tenantId(), c.invoiceId(), c.customerId(), c.stage(), c.round(), c.firstFailedAt(),
                            next, hard, null, null, declined.code(), c.cycle()), at);
                    failed(attempt.tenantId(), customer, payments.find(attempt.tenantId(), p.id()).orElseThrow());
                    return true;
                }
                case GatewayOutcome.Unreachable unreachable -> {
                    // unknown outcome: the payment stays pending and is sent again with the same key once the lease is stale
                    payments.update(attempt.tenantId(), with(c, c.stage(), c.round(), c.firstFailedAt(), c.nextAttemptAt(), p.id(), at), at);
                    return false;
                }
                case GatewayOutcome.Processing processing -> {
                    // accepted, settled later by the gateway's event: the collection is parked (no next attempt) holding the payment
                    payments.markProcessing(attempt.tenantId(), p.id(), processing.reference());
                    payments.update(attempt.tenantId(), with(c, c.stage(), c.round(), c.firstFailedAt(), null, p.id(), at), at);
                    return false;
                }
                case GatewayOutcome.NotFound notFound -> {
                    // the key is too old to resend and the gateway holds no charge for it: parked for an operator, never sent again
                    needsReview(attempt.tenantId(), p, notFound, at);
                    payments.update(attempt.tenantId(), with(c, c.stage(), c.round(), c.firstFailedAt(), null, p.id(), null), at);
                    return false;
                }
            }
        });
    }

    /**
     * An attempt whose outcome could not be learned once its key was too old to resend: marked for review (the
     * payment's {@code needs_review}), audited; still pending, so a late gateway event settles it like any other.
     */
    private void needsReview(String tenantId, Payment p, GatewayOutcome.NotFound notFound, Instant at) {
        String reason = "outcome_unknown: sent " + p.createdAt() + ", its idempotency key is older than " + resendWindow
                        + " and the gateway holds no charge for it (" + notFound.message() + ")";
        payments.markForReview(tenantId, p.id(), reason, at);
        Map<String, Object> facts = new LinkedHashMap<>(PaymentApplication.snapshot(p));
        facts.put("review_reason", reason);
        audit.record(Caller.system(tenantId), "payment", p.id(), "payment.needs_review", Map.of("status", p.status()), facts);
        LOG.warn("Payment {} of tenant {} needs review: {}", p.id(), tenantId, reason);
    }

    // ---- prepaid wallets ----

    private void recharge(PaymentRepository.RechargeDue due) {
        record Try(Payment payment, GatewayCharge charge, boolean lookUp) {
        }
        Try attempt = tx.inTransaction(() -> {
            Customer customer = customers.find(due.tenantId(), due.customerId()).orElseThrow();
            Payment p = payments.findByAttemptKey(due.tenantId(), due.attemptKey()).orElse(null);
            PaymentMethod m;
            if (p == null) {
                List<PaymentMethod> active = methods.active(due.tenantId(), customer.id());
                if (active.isEmpty()) {
                    return null;
                }
                m = active.getFirst();
                p = new Payment(Ids.next("pay"), customer.id(), null, Payment.WALLET_RECHARGE, Payment.AUTOMATIC, due.attemptKey(), null, m.id(), m.kind(),
                        m.brand(), m.last4(), gateway.name(), Money.of(due.amount(), customer.currency().getCurrencyCode()), null, null, null, Payment.PENDING,
                        null, null, null, false, null, null, null, time.now(due.tenantId(), customer), null);
                if (!payments.insert(due.tenantId(), p)) {
                    p = payments.findByAttemptKey(due.tenantId(), due.attemptKey()).orElseThrow();
                }
            }
            if (!p.status().equals(Payment.PENDING) || p.gatewayReference() != null || p.needsReview()) {
                return null; // settled, processing at the gateway (its event settles it), or waiting for an operator
            }
            m = methods.find(due.tenantId(), customer.id(), p.methodId()).orElseThrow();
            String gatewayCustomer = methods.gatewayCustomer(due.tenantId(), customer.id(), gateway.name()).orElseThrow();
            return new Try(p, new GatewayCharge(m.token(), gatewayCustomer, p.amount(), "Prepaid balance auto-recharge", p.id(), due.tenantId()),
                    keyTooOld(p, time.now(due.tenantId(), customer)));
        });
        if (attempt == null) {
            return;
        }
        settleRecharge(due.tenantId(), attempt.payment().id(), attempt.lookUp() ? gateway.lookup(attempt.charge(), null) : gateway.charge(attempt.charge()));
    }

    /** Records a wallet recharge's outcome once (from the charge's answer, or later from the gateway's event). */
    public void settleRecharge(String tenantId, String paymentId, GatewayOutcome outcome) {
        tx.run(() -> {
            Payment p = payments.findForUpdate(tenantId, paymentId).orElseThrow();
            if (!p.status().equals(Payment.PENDING)) {
                return;
            }
            Customer customer = customers.find(tenantId, p.customerId()).orElseThrow();
            Instant at = time.systemNow();
            switch (outcome) {
                case GatewayOutcome.Approved approved -> {
                    payments.settle(tenantId, p.id(), Payment.SUCCEEDED, approved.reference(), null, null, false, at);
                    var receipt = wallets.topUp(Caller.system(tenantId), customer.id(), p.amount().amount(), p.amount().currency().getCurrencyCode(),
                            "Auto-recharge (" + p.methodLabel() + ")");
                    payments.recordApplication(tenantId, p.id(), BigDecimal.ZERO, BigDecimal.ZERO, receipt.number());
                    Payment done = payments.find(tenantId, p.id()).orElseThrow();
                    Map<String, Object> facts = PaymentApplication.snapshot(done);
                    Instant now = time.now(tenantId, customer);
                    audit.record(Caller.system(tenantId), "payment", p.id(), "payment.succeeded", null, facts);
                    events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_SUCCEEDED, "payment", p.id(), customer.id(), facts, now));
                    events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.WALLET_RECHARGED, "wallet", customer.id(), customer.id(),
                            Map.of("payment_id", p.id(), "amount", p.amount().toPlainMinorString(), "currency", p.amount().currency().getCurrencyCode(),
                                    "receipt_number", receipt.number(), "balance_after", receipt.balanceAfter().toPlainMinorString()), now));
                }
                case GatewayOutcome.Declined declined -> {
                    payments.settle(tenantId, p.id(), Payment.FAILED, null, declined.code(), declined.message(), declined.hard(), at);
                    failed(tenantId, customer, payments.find(tenantId, p.id()).orElseThrow());
                }
                case GatewayOutcome.Unreachable unreachable -> {
                    // stays pending; the next run sends it again with the same key
                }
                case GatewayOutcome.Processing processing -> payments.markProcessing(tenantId, p.id(), processing.reference());
                case GatewayOutcome.NotFound notFound -> needsReview(tenantId, p, notFound, at);
            }
        });
    }

    private void failed(String tenantId, Customer customer, Payment p) {
        Map<String, Object> facts = PaymentApplication.snapshot(p);
        audit.record(Caller.system(tenantId), "payment", p.id(), "payment.failed", null, facts);
        events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_FAILED, "payment", p.id(), customer.id(), facts, time.now(tenantId, customer)));
    }

    private Attempt attempt(String tenantId, Customer customer, PaymentRepository.InvoiceAmounts invoice, Payment p, PaymentMethod m) {
        String gatewayCustomer = methods.gatewayCustomer(tenantId, customer.id(), gateway.name()).orElseThrow();
        String description = "Invoice " + (invoice.number() == null ? invoice.invoiceId() : invoice.number());
        return new Attempt(tenantId, customer.id(), invoice.invoiceId(), p.id(), new GatewayCharge(m.token(), gatewayCustomer, p.amount(), description, p.id(), tenantId));
    }

    private static Collection with(Collection c, String stage, int round, Instant firstFailed, Instant next, String inFlight, Instant since) {
        return new Collection(c.tenantId(), c.invoiceId(), c.customerId(), stage, round, firstFailed, next, c.hardDeclined(), inFlight, since, c.lastFailure(), c.cycle());
    }
}

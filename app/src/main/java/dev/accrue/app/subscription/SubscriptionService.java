package dev.accrue.app.subscription;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.pause.PausedBilling;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.CancellationPolicy;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.ChangePolicy;
import dev.accrue.core.catalog.CountedCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.catalog.Product;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.CatalogValidator;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceTotals;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.ChangeQuote;
import dev.accrue.core.subscription.PlanChanges;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SubscriptionStatus;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.Period;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Subscription lifecycle: create, change plan (with preview), cancel at period end, reactivate, revoke a pending change. */
public final class SubscriptionService {
    private final DomainEvents events;
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final PendingItems pending;
    private final CustomerTime time;
    private final AuditLog audit;
    private final ImmediateCancellation immediate;
    private final TenantRepository tenants;
    private final PausedBilling pauses;
    private QuotaCheck quotaCheck = (tenant, sub, plan) -> { };

    /** Refuses a plan whose quotas are below the items in use (set by the wiring; quotas live in their own context). */
    public interface QuotaCheck {
        void requireFits(String tenantId, String subscriptionId, Plan target);
    }

    public void useQuotaCheck(QuotaCheck check) {
        this.quotaCheck = check;
    }

    public SubscriptionService(Transactions tx, SubscriptionRepository subscriptions, CustomerRepository customers, CatalogService catalogs,
                               BillingService billing, PendingItems pending, CustomerTime time, AuditLog audit, TenantRepository tenants,
                               ImmediateCancellation immediate, DomainEvents events, PausedBilling pauses) {
        this.pauses = pauses;
        this.events = events;
        this.immediate = immediate;
        this.tx = tx;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.pending = pending;
        this.time = time;
        this.audit = audit;
        this.tenants = tenants;
    }

    public Subscription create(Caller caller, CreateSubscription req) {
        Subscription created = createWithoutBilling(caller, req);
        billing.billDue(caller.tenantId(), created.id());
        return get(caller, created.id());
    }

    /**
     * Creates the subscription and leaves its due invoices to the billing scheduler (bulk imports, migrations
     * from another billing system): nothing is lost, the next run bills every due period in order.
     */
    public Subscription createWithoutBilling(Caller caller, CreateSubscription req) {
        caller.requireWrite();
        if (req.customerId() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "customer_id", "customer_id is required");
        }
        if (req.plan() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "plan", "plan is required");
        }
        return tx.inTransaction(() -> {
            customers.find(caller.tenantId(), req.customerId()).ifPresent(c -> time.holdTestClock(caller.tenantId(), c.testClockId()));
            // locked: two concurrent subscribes of one customer see each other (one live subscription per product)
            Customer customer = customers.findForUpdate(caller.tenantId(), req.customerId())
                    .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "customer_id", "No customer with id '" + req.customerId() + "'"));
            Instant now = time.now(caller.tenantId(), customer);
            var current = catalogs.current(caller.tenantId(), now);
            Plan plan = current.catalog().plan(req.plan())
                    .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "plan", "No plan '" + req.plan() + "' in catalog version " + current.version().version()));
            BillingInterval interval = interval(plan, req.interval());
            LocalDate today = LocalDate.ofInstant(now, customer.timeZone());
            LocalDate start = req.startDate() == null ? today : req.startDate();
            tenants.find(caller.tenantId()).orElseThrow().settings().startWindow().require(start, today);
            int trialDays = req.trialDays() == null ? plan.trialDays() : req.trialDays();
            if (trialDays < 0 || trialDays > 730) {
                throw AccrueException.invalid("trial_days", "trial_days must be 0-730, got " + trialDays);
            }
            LocalDate trialEnd = trialDays == 0 ? null : start.plusDays(trialDays);
            requireNoLiveSubscriptionOfProduct(caller.tenantId(), customer, current.catalog(), plan, today, start);
            Integer cycleDay = BillingCycleDays.forNewSubscription(req.billingCycleDay(), req.alignment(), customer, interval);
            Alignment alignment = cycleDay != null ? Alignment.ANNIVERSARY : alignment(req.alignment(), customer, plan);
            LocalDate anchor = trialEnd == null ? start : trialEnd;
            LocalDate lockIn = plan.lockIn() == null ? null : start.plusMonths(plan.lockIn().months());
            Subscription sub = new Subscription(Ids.next("sub"), customer.id(), current.version().version(), plan.code(), interval, alignment,
                    start, trialEnd, anchor, anchor, null, null, null, false, null, null, lockIn, PlanOverrides.NONE, quantity(req.quantity()), null, null, null, 1,
                    cycleDay, null);
            requirePrices(sub, plan, customer);
            requireTermCanMoveOn(sub, plan, current.catalog(), customer);
            subscriptions.insert(caller.tenantId(), sub, time.systemNow());
            billing.phases().start(caller.tenantId(), sub, plan);
            audit.record(caller, "subscription", sub.id(), "subscription.created", null, sub);
            events.record(caller.tenantId(), EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CREATED, sub, time.systemNow(), Map.of()));
            return sub;
        });
    }

    /**
     * One live subscription per product and customer: a second one would bill the same service twice, and
     * moving between plans of a product is a plan change. A product that declares
     * {@code multiple_subscriptions: true} is exempt. A subscription that has ended, or ends on or before the
     * new one starts, is not live.
     */
    private void requireNoLiveSubscriptionOfProduct(String tenantId, Customer customer, Catalog catalog, Plan plan, LocalDate today, LocalDate start) {
        boolean severalAllowed = catalog.product(plan.product()).map(Product::multipleSubscriptions).orElse(false);
        if (severalAllowed) {
            return;
        }
        for (Subscription existing : subscriptions.forCustomer(tenantId, customer.id())) {
            boolean live = existing.statusOn(today) != SubscriptionStatus.ENDED
                    && (existing.endedOn() == null || existing.endedOn().isAfter(start));
            if (!live) {
                continue;
            }
            String product = catalogs.catalog(tenantId, existing.catalogVersion()).plan(existing.planCode()).map(Plan::product).orElse(null);
            if (plan.product().equals(product)) {
                throw new AccrueException(ErrorCode.ALREADY_SUBSCRIBED, "plan",
                        "Customer " + customer.id() + " already has subscription " + existing.id() + " (plan " + existing.planCode()
                                + ") to product " + product + "; change its plan (POST /v1/subscriptions/" + existing.id()
                                + "/change) instead of subscribing twice",
                        Map.of("existing_subscription_id", existing.id()));
            }
        }
    }

    public Subscription get(Caller caller, String id) {
        return tx.inTransaction(() -> subscriptions.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("subscription", id));
    }

    public Page<Subscription> list(Caller caller, String customerId, PageRequest page) {
        return tx.inTransaction(() -> subscriptions.list(caller.tenantId(), customerId, page));
    }

    /** The customer's today, for status. */
    /** The status people are shown (API, portal, console): {@code paused} while a pause holds the customer's today. */
    public SubscriptionStatus status(Caller caller, Subscription sub) {
        return tx.inTransaction(() -> {
            LocalDate today = time.today(caller.tenantId(), customers.find(caller.tenantId(), sub.customerId()).orElseThrow());
            return sub.statusOn(today, pauses.pausedOn(caller.tenantId(), sub.id(), today));
        });
    }

    public LocalDate today(Caller caller, Subscription sub) {
        return tx.inTransaction(() -> time.today(caller.tenantId(), customers.find(caller.tenantId(), sub.customerId()).orElseThrow()));
    }

    /**
     * Changes the plan, or with {@code preview} only says what the change would do: the same computation, then
     * a rollback-free early return before anything is written.
     */
    public ChangeResult changePlan(Caller caller, String id, String planCode, boolean nextPeriod, boolean preview) {
        if (!preview) {
            caller.requireWrite();
        }
        if (planCode == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "plan", "plan is required");
        }
        ChangeResult result = tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("subscription", id));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            Instant now = time.now(caller.tenantId(), customer);
            LocalDate today = LocalDate.ofInstant(now, customer.timeZone());
            var current = catalogs.current(caller.tenantId(), now);
            Plan from = billing.planBilledOn(caller.tenantId(), sub, today);
            Plan to = current.catalog().plan(planCode)
                    .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "plan", "No plan '" + planCode + "' in catalog version " + current.version().version()));
            if (!to.product().equals(from.product())) {
                throw AccrueException.invalid("plan", "Plan " + planCode + " belongs to product " + to.product() + ", not " + from.product());
            }
            if (to.interval(sub.interval()).isEmpty()) {
                throw AccrueException.invalid("plan", "Plan " + planCode + " is not sold on a " + sub.interval().wire() + " interval");
            }
            to = sub.overrides().applyTo(to);
            requirePrices(sub, to, customer);
            quotaCheck.requireFits(caller.tenantId(), sub.id(), to);
            boolean upgrade = to.tier() > from.tier();
            ChangeQuote quote = PlanChanges.quote(sub, from, to, upgrade, nextPeriod, today, customer.currency(), billing.rounding(caller.tenantId()));
            quote = billing.counted().withUpgrade(caller.tenantId(), sub, from, to, customer, today, billing.rounding(caller.tenantId()), quote, preview);
            Subscription after = quote.timing() == ChangeQuote.Timing.IMMEDIATE
                    ? sub.with(current.version().version(), to.code(), null, sub.cancelAtPeriodEnd(), sub.cancelReason(), sub.endedOn())
                    : sub.with(sub.catalogVersion(), sub.planCode(), to.code(), sub.cancelAtPeriodEnd(), sub.cancelReason(), sub.endedOn());
            return apply(caller, sub, customer, to, quote, preview, "subscription.plan_changed", "subscription.change_scheduled", after);
        });
        if (!preview) {
            billing.billDue(caller.tenantId(), id);
        }
        return result;
    }

    /**
     * The common tail of every priced change: a preview stops here; otherwise the new state is written and the
     * quote's lines are invoiced at once or parked for the next invoice, as the plan's upgrade invoicing says.
     */
    private ChangeResult apply(Caller caller, Subscription sub, Customer customer, Plan plan, ChangeQuote quote, boolean preview,
                               String immediateAction, String scheduledAction, Subscription after) {
        var total = InvoiceTotals.subtotal(customer.currency(), quote.lines());
        boolean invoiceNow = plan.changePolicy().upgradeInvoicing() == ChangePolicy.ProrationInvoicing.IMMEDIATE;
        if (preview) {
            return new ChangeResult(quote, total, invoiceNow && !quote.lines().isEmpty(), sub, null);
        }
        subscriptions.update(caller.tenantId(), after, time.systemNow());
        Invoice invoice = null;
        if (!quote.lines().isEmpty()) {
            LocalDate today = time.today(caller.tenantId(), customer);
            if (invoiceNow) {
                invoice = billing.issueFor(plan, caller.tenantId(), customer, sub.id(), Ids.next("chg"), today, span(quote.lines()), quote.lines());
            } else {
                for (InvoiceLine line : quote.lines()) {
                    pending.add(caller.tenantId(), sub.id(), customer.id(), line, time.systemNow());
                }
            }
        }
        audit.record(caller, "subscription", sub.id(), quote.timing() == ChangeQuote.Timing.IMMEDIATE ? immediateAction : scheduledAction, sub, after);
        events.record(caller.tenantId(), EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CHANGED, after, time.systemNow(), Map.of("change", quote.timing() == ChangeQuote.Timing.IMMEDIATE ? immediateAction : scheduledAction, "previous_plan", sub.planCode())));
        return new ChangeResult(quote, total, invoice != null, subscriptions.find(caller.tenantId(), sub.id()).orElseThrow(), invoice);
    }

    /** The period a change invoice covers: from the earliest to the latest service date of its lines. */
    private static Period span(List<InvoiceLine> lines) {
        LocalDate start = null;
        LocalDate end = null;
        for (InvoiceLine l : lines) {
            if (l.servicePeriod() != null) {
                start = start == null || l.servicePeriod().start().isBefore(start) ? l.servicePeriod().start() : start;
                end = end == null || l.servicePeriod().end().isAfter(end) ? l.servicePeriod().end() : end;
            }
        }
        return start == null ? null : new Period(start, end);
    }

    /** Overrides may only name what the catalog defines: quota and limit features, rate tables, declared currencies. */
    /** A deal obeys the rules of the catalog it sits on (CatalogValidator owns them); the first problem is the answer. */
    private static void requireKnown(dev.accrue.core.catalog.Catalog catalog, PlanOverrides o) {
        o.contractedRates().keySet().forEach(t -> {
            if (catalog.rateTable(t).isEmpty()) {
                throw AccrueException.invalid("overrides.contracted_rates." + t, "No rate table '" + t + "' in catalog version " + catalog.version());
            }
        });
        for (CatalogProblem p : CatalogValidator.validateOverrides(catalog, o)) {
            ErrorCode code = switch (p.code()) {
                case CatalogProblem.NEGATIVE_AMOUNT, CatalogProblem.INVALID_AMOUNT -> ErrorCode.INVALID_AMOUNT;
                case CatalogProblem.INVALID_CURRENCY -> ErrorCode.INVALID_CURRENCY;
                default -> ErrorCode.VALIDATION_FAILED;
            };
            throw new AccrueException(code, p.path(), p.message());
        }
    }

    private static int quantity(Integer requested) {
        int q = requested == null ? 1 : requested;
        if (q < 1 || q > 1_000_000) {
            throw AccrueException.invalid("quantity", "quantity must be 1-1000000, got " + q);
        }
        return q;
    }

    public Subscription cancel(Caller caller, String id, String reason) {
        caller.requireWrite();
        String why = reason == null ? null : reason.trim();
        if (why != null && why.length() > 500) {
            throw AccrueException.invalid("reason", "reason must be at most 500 characters");
        }
        Plan plan = tx.inTransaction(() -> billing.plan(caller.tenantId(), get(caller, id)));
        if (plan.cancellation().effective() == CancellationPolicy.Effective.IMMEDIATE) {
            return immediate.cancel(caller, id, why, plan);
        }
        return mutate(caller, id, "subscription.cancel_scheduled", (ctx) -> {
            Subscription sub = ctx.sub();
            if (sub.billedThrough() == null || !ctx.today().isBefore(sub.billedThrough())) {
                // nothing paid for is running (future start, trial): the subscription ends today
                LocalDate end = ctx.today().isBefore(sub.startDate()) ? sub.startDate() : ctx.today();
                PlanChanges.requireOutsideLockIn(sub, end, "Cancellations");
                return sub.with(sub.catalogVersion(), sub.planCode(), null, true, why, end);
            }
            PlanChanges.requireOutsideLockIn(sub, sub.billedThrough(), "Cancellations");
            return sub.with(sub.catalogVersion(), sub.planCode(), sub.pendingPlanCode(), true, why, null);
        });
    }

    /**
     * Operator only: ends the subscription today (involuntary end, fraud, a deal gone wrong). Nothing is
     * refunded or billed further; the lock-in does not apply to the operator.
     */
    public Subscription end(Caller caller, String id, String reason) {
        caller.requireWrite();
        return mutate(caller, id, "subscription.ended", ctx -> {
            Subscription sub = ctx.sub();
            LocalDate end = ctx.today().isBefore(sub.startDate()) ? sub.startDate() : ctx.today();
            return sub.with(sub.catalogVersion(), sub.planCode(), null, sub.cancelAtPeriodEnd(), reason == null ? sub.cancelReason() : reason.trim(), end);
        });
    }

    /**
     * Suspends service (non-payment, abuse): status {@code suspended}, usage authorization refused. The contract
     * continues and keeps being invoiced, as the customer still owes it; {@link #reinstate} restores service.
     */
    public Subscription suspend(Caller caller, String id) {
        caller.requireWrite();
        return mutate(caller, id, "subscription.suspended", ctx -> {
            if (ctx.sub().suspendedOn() != null) {
                throw AccrueException.invalid("status", "Subscription " + id + " is already suspended since " + ctx.sub().suspendedOn());
            }
            return ctx.sub().withSuspension(ctx.today());
        });
    }

    public Subscription reinstate(Caller caller, String id) {
        caller.requireWrite();
        return mutate(caller, id, "subscription.reinstated", ctx -> {
            if (ctx.sub().suspendedOn() == null) {
                throw AccrueException.invalid("status", "Subscription " + id + " is not suspended");
            }
            return ctx.sub().withSuspension(null);
        });
    }

    public Subscription reactivate(Caller caller, String id) {
        caller.requireWrite();
        return mutate(caller, id, "subscription.cancel_revoked", ctx -> {
            if (!ctx.sub().cancelAtPeriodEnd()) {
                throw AccrueException.invalid("status", "Subscription " + id + " is not scheduled to cancel");
            }
            return ctx.sub().with(ctx.sub().catalogVersion(), ctx.sub().planCode(), ctx.sub().pendingPlanCode(), false, null, null);
        });
    }

    public Subscription revokePendingChange(Caller caller, String id) {
        caller.requireWrite();
        return mutate(caller, id, "subscription.change_revoked", ctx -> {
            if (ctx.sub().pendingPlanCode() == null) {
                throw AccrueException.invalid("pending_plan", "Subscription " + id + " has no pending change");
            }
            return ctx.sub().with(ctx.sub().catalogVersion(), ctx.sub().planCode(), null, ctx.sub().cancelAtPeriodEnd(), ctx.sub().cancelReason(), null);
        });
    }

    /**
     * Changes the number of seats, or with {@code preview} only says what it would cost. More seats apply at
     * once with a prorated charge (invoiced per the plan's upgrade invoicing); fewer wait for period end.
     */
    public ChangeResult changeQuantity(Caller caller, String id, Integer requested, boolean preview) {
        if (!preview) {
            caller.requireWrite();
        }
        if (requested == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "quantity", "quantity is required");
        }
        int target = quantity(requested);
        ChangeResult result = tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("subscription", id));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            Plan plan = billing.planBilledOn(caller.tenantId(), sub, today);
            ChangeQuote quote = PlanChanges.quoteQuantity(sub, plan, target, today, customer.currency(), billing.rounding(caller.tenantId()));
            return apply(caller, sub, customer, plan, quote, preview, "subscription.quantity_changed", "subscription.quantity_change_scheduled",
                    quote.timing() == ChangeQuote.Timing.IMMEDIATE ? sub.withQuantity(target) : sub.withPendingQuantity(target));
        });
        if (!preview) {
            billing.billDue(caller.tenantId(), id);
        }
        return result;
    }

    /**
     * Moves the subscription to another interval the plan offers. Once a period is paid for, the move waits
     * for its end and the new schedule starts there; before anything was billed it applies at once.
     */
    public Subscription changeInterval(Caller caller, String id, String requested) {
        return changeInterval(caller, id, requested, false);
    }

    /**
     * Moves to another interval: at the end of the paid period, or with {@code now} on the customer's today — the unused part
     * of the paid period credited and the new interval's first period invoiced at once ({@link BillingService#changeIntervalNow}).
     */
    public Subscription changeInterval(Caller caller, String id, String requested, boolean now) {
        return changeInterval(caller, id, requested, now, new ArrayList<>());
    }

    /**
     * What {@link #changeInterval} would do, computed by doing it in a transaction that is rolled back: the subscription
     * after it, and for a change now the invoice it would issue (the credit for the unused days, what the cut period served,
     * the new interval's first period). Nothing is written, no event recorded.
     */
    public ChangeResult previewIntervalChange(Caller caller, String id, String requested, boolean now) {
        return tx.rolledBack(() -> {
            Subscription before = get(caller, id);
            LocalDate today = today(caller, before);
            List<Invoice> issued = new ArrayList<>();
            Subscription after = changeInterval(caller, id, requested, now, issued);
            Invoice invoice = issued.stream().filter(i -> i.billingKey().equals(id + ":interval:" + today)).findFirst().orElse(null);
            boolean atOnce = after.interval() != before.interval();
            ChangeQuote quote = new ChangeQuote(atOnce ? ChangeQuote.Timing.IMMEDIATE : ChangeQuote.Timing.AT_PERIOD_END,
                    atOnce ? (invoice != null ? today : before.anchor()) : before.billedThrough(), invoice == null ? List.of() : invoice.lines());
            Customer customer = customers.find(caller.tenantId(), before.customerId()).orElseThrow();
            return new ChangeResult(quote, invoice == null ? Money.zero(customer.currency()) : invoice.total(), false, after, null);
        });
    }

    private Subscription changeInterval(Caller caller, String id, String requested, boolean now, List<Invoice> issued) {
        caller.requireWrite();
        if (requested == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "interval", "interval is required");
        }
        if (now) {
            billing.billDue(caller.tenantId(), id); // the period cut is the one billed up to today
        }
        return mutate(caller, id, now ? "subscription.interval_changed" : "subscription.interval_change_scheduled", ctx -> {
            Subscription sub = ctx.sub();
            Plan plan = billing.plan(caller.tenantId(), sub);
            BillingInterval interval = interval(plan, requested);
            if (interval == sub.interval()) {
                return sub.withPendingInterval(null);
            }
            billing.phases().requireNoPhaseRunning(caller.tenantId(), sub, ctx.today());
            Subscription probe = sub.withInterval(interval, sub.anchor());
            requirePrices(probe, plan, customers.find(caller.tenantId(), sub.customerId()).orElseThrow());
            boolean periodPaidFor = sub.billedThrough() != null;
            if (now && periodPaidFor) {
                if (plan.charges().stream().anyMatch(CountedCharge.class::isInstance)) {
                    throw AccrueException.invalid("effective", "Plan " + plan.code() + " prices contacts counted at renewal; its interval changes at "
                            + "the end of the paid period (effective: next_period)");
                }
                Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
                return billing.changeIntervalNow(caller.tenantId(), sub.withPendingInterval(null), customer, interval, ctx.today(), issued);
            }
            return periodPaidFor ? sub.withPendingInterval(interval) : sub.withInterval(interval, sub.anchor());
        });
    }

    /**
     * Moves the period boundaries to another day of the month (issue 16 point 7). Before anything was billed the new day
     * applies at once; afterwards it waits for the end of the paid period, where a bridge period up to the new day is
     * billed like a calendar stub (prorated by day against the whole period it cuts). The day already in force clears a
     * pending change, so a retried request changes nothing.
     */
    public Subscription changeBillingCycleDay(Caller caller, String id, Integer day) {
        caller.requireWrite();
        return mutate(caller, id, "subscription.billing_cycle_day_changed", ctx -> {
            Subscription sub = ctx.sub();
            BillingCycleDays.require(day, sub.interval());
            if (day.equals(sub.billingCycleDay())) {
                return sub.withPendingBillingCycleDay(null);
            }
            billing.phases().requireNoPhaseRunning(caller.tenantId(), sub, ctx.today());
            return sub.billedThrough() == null ? sub.withBillingCycleDay(day, sub.anchor()) : sub.withPendingBillingCycleDay(day);
        });
    }

    /** Operator only: lengthens a trial that has not ended; billing then starts at the new trial end. */
    public Subscription extendTrial(Caller caller, String id, LocalDate newTrialEnd) {
        caller.requireWrite();
        if (newTrialEnd == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "trial_end", "trial_end is required");
        }
        return mutate(caller, id, "subscription.trial_extended", ctx -> {
            Subscription sub = ctx.sub();
            if (sub.trialEnd() == null || sub.billedThrough() != null || !ctx.today().isBefore(sub.trialEnd())) {
                throw AccrueException.invalid("trial_end", "Only a running trial can be extended; subscription " + id + " is not trialing");
            }
            if (!newTrialEnd.isAfter(sub.trialEnd())) {
                throw AccrueException.invalid("trial_end", "The new trial end " + newTrialEnd + " must be after the current one, " + sub.trialEnd());
            }
            Subscription extended = sub.withTrialEnd(newTrialEnd);
            billing.phases().start(caller.tenantId(), extended, billing.plan(caller.tenantId(), sub)); // phases count from the new trial end
            return extended;
        });
    }

    /**
     * Replaces the subscription's enterprise overrides (custom prices, allowances, limits, quotas, contracted
     * rates). They are checked against the plan now and apply from the next invoice on.
     */
    public Subscription setOverrides(Caller caller, String id, PlanOverrides overrides) {
        caller.requireWrite();
        PlanOverrides value = overrides == null ? PlanOverrides.NONE : overrides;
        return mutate(caller, id, "subscription.overrides_set", ctx -> {
            Subscription sub = ctx.sub();
            var catalog = catalogs.catalog(caller.tenantId(), sub.catalogVersion());
            Plan plan = catalog.plan(sub.planCode()).orElseThrow();
            requireKnown(catalog, value);
            Plan custom = value.applyTo(plan);
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            requirePrices(sub, custom, customer);
            return sub.withOverrides(value);
        });
    }

    private record MutationContext(Subscription sub, LocalDate today) {
    }

    private Subscription mutate(Caller caller, String id, String action, Function<MutationContext, Subscription> change) {
        tx.run(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("subscription", id));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
                throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "Subscription " + id + " ended on " + sub.endedOn());
            }
            Subscription after = change.apply(new MutationContext(sub, today));
            subscriptions.update(caller.tenantId(), after, time.systemNow());
            audit.record(caller, "subscription", id, action, sub, after);
            events.record(caller.tenantId(), EventSnapshots.subscriptionMutation(action, after, time.systemNow()));
        });
        return get(caller, id);
    }

    private static BillingInterval interval(Plan plan, String requested) {
        if (requested == null) {
            return plan.intervals().getFirst().interval();
        }
        BillingInterval interval = BillingInterval.fromWire(requested);
        if (interval == null) {
            throw AccrueException.invalid("interval", "interval must be week, month, quarter, half_year or year, got '" + requested + "'");
        }
        if (plan.interval(interval).isEmpty()) {
            throw AccrueException.invalid("interval", "Plan " + plan.code() + " is not sold on a " + requested + " interval");
        }
        return interval;
    }

    private static Alignment alignment(String requested, Customer customer, Plan plan) {
        if (requested != null) {
            Alignment a = Alignment.fromWire(requested);
            if (a == null) {
                throw AccrueException.invalid("alignment", "alignment must be 'calendar' or 'anniversary', got '" + requested + "'");
            }
            return a;
        }
        return customer.alignment() != null ? customer.alignment() : plan.alignment();
    }

    /** Refuses a plan the customer cannot be billed on in its currency. */
    /**
     * A fixed term moves the subscription to its next plan at a boundary where no one is asked, so that plan must be able to
     * bill it (its interval, the customer's currency): checked when the subscription starts, not found out at the term's end.
     */
    private static void requireTermCanMoveOn(Subscription sub, Plan plan, Catalog catalog, Customer customer) {
        if (plan.term() == null || plan.term().thenPlan() == null) {
            return;
        }
        Plan next = catalog.plan(plan.term().thenPlan()).orElseThrow();
        try {
            requirePrices(sub, next, customer);
        } catch (AccrueException e) {
            throw AccrueException.invalid("interval", "Plan " + plan.code() + " moves to plan " + next.code() + " when its term ends, which cannot bill "
                    + "this subscription: " + e.getMessage());
        }
    }

    private static void requirePrices(Subscription sub, Plan plan, Customer customer) {
        for (var charge : plan.charges()) {
            if (charge instanceof RecurringCharge r) {
                RecurringBilling.periodPrice(sub, plan, r, customer.currency());
            }
            if (charge instanceof dev.accrue.core.catalog.CountedCharge k) {
                // every band has a price in each catalog currency (validator), so the first band answers for all
                dev.accrue.core.subscription.CountedPricing.band(k, 0, customer.currency().getCurrencyCode());
            }
        }
    }
}

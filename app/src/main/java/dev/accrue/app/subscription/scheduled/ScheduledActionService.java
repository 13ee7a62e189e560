package dev.accrue.app.subscription.scheduled;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.id.Ids;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.subscription.SubscriptionService;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.CancellationPolicy;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.PlanChanges;
import dev.accrue.core.subscription.ScheduledAction;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.subscription.Subscription;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Dated actions of a subscription: schedule one, list what is scheduled, revoke one. The list also shows the changes
 * already pending for the current period's end (a downgrade, fewer seats, an interval move, a cancellation): they are
 * the same kind of thing, held by the subscription itself, and revoked here as by their own endpoints.
 */
public final class ScheduledActionService {
    /** The period-end changes a subscription holds, listed with fixed ids since there is at most one of each. */
    public static final String PENDING_PLAN = "pending_plan";
    public static final String PENDING_QUANTITY = "pending_quantity";
    public static final String PENDING_INTERVAL = "pending_interval";
    public static final String CANCEL_AT_PERIOD_END = "cancel_at_period_end";

    private final Transactions tx;
    private final ScheduledActionRepository actions;
    private final SubscriptionRepository subscriptions;
    private final SubscriptionService lifecycle;
    private final CustomerRepository customers;
    private final TenantRepository tenants;
    private final BillingService billing;
    private final DueScheduledActions due;
    private final CustomerTime time;
    private final AuditLog audit;
    private final DomainEvents events;

    public ScheduledActionService(Transactions tx, ScheduledActionRepository actions, SubscriptionRepository subscriptions, SubscriptionService lifecycle,
                                  CustomerRepository customers, TenantRepository tenants, BillingService billing, DueScheduledActions due,
                                  CustomerTime time, AuditLog audit, DomainEvents events) {
        this.tx = tx;
        this.actions = actions;
        this.subscriptions = subscriptions;
        this.lifecycle = lifecycle;
        this.customers = customers;
        this.tenants = tenants;
        this.billing = billing;
        this.due = due;
        this.time = time;
        this.audit = audit;
        this.events = events;
    }

    public record Request(String action, LocalDate effectiveDate, String plan, Integer quantity, String reason, String interval) {
        public Request(String action, LocalDate effectiveDate, String plan, Integer quantity, String reason) {
            this(action, effectiveDate, plan, quantity, reason, null);
        }
    }

    /** One line of a subscription's schedule: a dated action ({@code source} "dated") or a change pending at period end. */
    public record Entry(String id, String subscriptionId, String action, LocalDate effectiveDate, String plan, Integer quantity, String interval,
                        String reason, String source, String status, String failure, Instant createdAt, Instant settledAt) {
        static Entry of(ScheduledAction a) {
            return new Entry(a.id(), a.subscriptionId(), a.kind().wire(), a.effectiveOn(), a.plan(), a.quantity(),
                    a.interval() == null ? null : a.interval().wire(), a.reason(), "dated",
                    a.status().wire(), a.failure(), a.createdAt(), a.settledAt());
        }

        static Entry pending(String id, Subscription s, String action, String plan, Integer quantity, String interval, String reason) {
            return new Entry(id, s.id(), action, s.billedThrough(), plan, quantity, interval, reason, "period_end", "scheduled", null, null, null);
        }
    }

    /**
     * Schedules an action. Checked now as far as its date allows: the date (future, or past within the lateness window and
     * the running period), the target plan (catalog, product, interval, currency), the quantity, a lock-in the effective day
     * would fall in. A date already come (today or back-dated) is performed at once, by the billing run, before answering.
     */
    public Entry schedule(Caller caller, String subscriptionId, Request r) {
        caller.requireWrite();
        ScheduledAction.Kind kind = kind(r);
        String reason = r.reason() == null || r.reason().isBlank() ? null : r.reason().trim();
        ScheduledAction created = tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), subscriptionId)
                    .orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            LocalDate on = r.effectiveDate();
            if (sub.endedOn() != null && !on.isBefore(sub.endedOn())) {
                throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "effective_date",
                        "Subscription " + subscriptionId + (today.isBefore(sub.endedOn()) ? " ends" : " ended") + " on " + sub.endedOn()
                                + ", on or before effective_date " + on);
            }
            int lateness = tenants.find(caller.tenantId()).orElseThrow().settings().eventLatenessDays();
            boolean running = sub.billedThrough() != null && today.isBefore(sub.billedThrough()) && !today.isBefore(sub.anchor());
            ScheduledAction.requireDateAllowed(on, today, lateness, running ? sub.periodContaining(today).start() : null, sub.startDate());
            requirePossible(caller.tenantId(), sub, customer, kind, r, on);
            for (ScheduledAction other : actions.forSubscription(caller.tenantId(), sub.id())) {
                if (other.status() == ScheduledAction.Status.SCHEDULED && other.kind() == kind && other.effectiveOn().equals(on)) {
                    throw new AccrueException(ErrorCode.ALREADY_EXISTS, "effective_date", "Subscription " + sub.id() + " already has a "
                            + kind.wire() + " scheduled on " + on + " (" + other.id() + "); revoke it first");
                }
            }
            ScheduledAction a = new ScheduledAction(Ids.next("sact"), sub.id(), kind, on, r.plan(), r.quantity(), reason, today,
                    ScheduledAction.Status.SCHEDULED, null, time.systemNow(), null, r.interval() == null ? null : BillingInterval.fromWire(r.interval()));
            actions.insert(caller.tenantId(), a);
            audit.record(caller, "subscription", sub.id(), "subscription.action_scheduled", null, Entry.of(a));
            return a;
        });
        // a date that has come is the billing run's to perform now (and its invoice, if any), like any due boundary
        billing.billDue(caller.tenantId(), subscriptionId);
        return tx.inTransaction(() -> actions.findForUpdate(caller.tenantId(), subscriptionId, created.id())).map(Entry::of).orElseThrow();
    }

    /** The subscription's schedule by effective date: pending period-end changes and dated actions (all statuses). */
    public List<Entry> list(Caller caller, String subscriptionId) {
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            List<Entry> all = new ArrayList<>(pendingAtPeriodEnd(sub));
            actions.forSubscription(caller.tenantId(), subscriptionId).forEach(a -> all.add(Entry.of(a)));
            all.sort(Comparator.comparing(Entry::effectiveDate, Comparator.nullsLast(Comparator.naturalOrder())));
            return all;
        });
    }

    /** Revokes a scheduled action, or a change pending at period end; one that already applied, failed or was revoked is {@code action_not_scheduled}. */
    public Entry revoke(Caller caller, String subscriptionId, String actionId) {
        caller.requireWrite();
        switch (actionId) {
            case PENDING_PLAN -> {
                Entry e = pendingEntry(caller, subscriptionId, actionId);
                lifecycle.revokePendingChange(caller, subscriptionId);
                return revoked(e);
            }
            case CANCEL_AT_PERIOD_END -> {
                Entry e = pendingEntry(caller, subscriptionId, actionId);
                lifecycle.reactivate(caller, subscriptionId);
                return revoked(e);
            }
            case PENDING_QUANTITY, PENDING_INTERVAL -> {
                return tx.inTransaction(() -> {
                    Entry e = pendingEntry(caller, subscriptionId, actionId);
                    Subscription sub = subscriptions.findForUpdate(caller.tenantId(), subscriptionId).orElseThrow();
                    Subscription after = actionId.equals(PENDING_QUANTITY) ? sub.withPendingQuantity(null) : sub.withPendingInterval(null);
                    subscriptions.update(caller.tenantId(), after, time.systemNow());
                    String what = "subscription." + actionId + "_revoked";
                    audit.record(caller, "subscription", subscriptionId, what, sub, after);
                    events.record(caller.tenantId(), EventSnapshots.subscriptionMutation(what, after, time.systemNow()));
                    return revoked(e);
                });
            }
            default -> {
                return tx.inTransaction(() -> {
                    subscriptions.findForUpdate(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
                    ScheduledAction a = actions.findForUpdate(caller.tenantId(), subscriptionId, actionId)
                            .orElseThrow(() -> AccrueException.notFound("scheduled_action", actionId));
                    if (a.status() != ScheduledAction.Status.SCHEDULED) {
                        throw new AccrueException(ErrorCode.ACTION_NOT_SCHEDULED, "Scheduled action " + actionId + " is " + a.status().wire()
                                + (a.settledAt() == null ? "" : " since " + a.settledAt()) + "; only a scheduled action can be revoked");
                    }
                    ScheduledAction revoked = a.settled(ScheduledAction.Status.REVOKED, null, time.systemNow());
                    actions.settle(caller.tenantId(), revoked);
                    audit.record(caller, "subscription", subscriptionId, "subscription.scheduled_action_revoked", Entry.of(a), Entry.of(revoked));
                    return Entry.of(revoked);
                });
            }
        }
    }

    private Entry pendingEntry(Caller caller, String subscriptionId, String id) {
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            return pendingAtPeriodEnd(sub).stream().filter(e -> e.id().equals(id)).findFirst()
                    .orElseThrow(() -> new AccrueException(ErrorCode.ACTION_NOT_SCHEDULED,
                            "Subscription " + subscriptionId + " has no " + id.replace('_', ' ') + " to revoke"));
        });
    }

    private static Entry revoked(Entry e) {
        return new Entry(e.id(), e.subscriptionId(), e.action(), e.effectiveDate(), e.plan(), e.quantity(), e.interval(), e.reason(), e.source(),
                "revoked", null, null, null);
    }

    private static List<Entry> pendingAtPeriodEnd(Subscription s) {
        List<Entry> out = new ArrayList<>();
        if (s.endedOn() != null || s.billedThrough() == null) {
            return out;
        }
        if (s.pendingPlanCode() != null) {
            out.add(Entry.pending(PENDING_PLAN, s, "change_plan", s.pendingPlanCode(), null, null, null));
        }
        if (s.pendingQuantity() != null) {
            out.add(Entry.pending(PENDING_QUANTITY, s, "change_quantity", null, s.pendingQuantity(), null, null));
        }
        if (s.pendingInterval() != null) {
            out.add(Entry.pending(PENDING_INTERVAL, s, "change_interval", null, null, s.pendingInterval().wire(), null));
        }
        if (s.cancelAtPeriodEnd()) {
            out.add(Entry.pending(CANCEL_AT_PERIOD_END, s, "cancel", null, null, null, s.cancelReason()));
        }
        return out;
    }

    private static ScheduledAction.Kind kind(Request r) {
        if (r.action() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "action", "action is required: change_plan, change_quantity, change_interval or cancel");
        }
        ScheduledAction.Kind kind = ScheduledAction.Kind.fromWire(r.action());
        if (kind == null) {
            throw AccrueException.invalid("action", "action must be change_plan, change_quantity, change_interval or cancel, got '" + r.action() + "'");
        }
        if (r.effectiveDate() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "effective_date", "effective_date is required");
        }
        switch (kind) {
            case CHANGE_PLAN -> {
                if (r.plan() == null || r.plan().isBlank()) {
                    throw new AccrueException(ErrorCode.MISSING_FIELD, "plan", "plan is required for change_plan");
                }
                onlyFor(r.quantity() != null, "quantity", "change_quantity");
                onlyFor(r.reason() != null, "reason", "cancel");
            }
            case CHANGE_QUANTITY -> {
                if (r.quantity() == null) {
                    throw new AccrueException(ErrorCode.MISSING_FIELD, "quantity", "quantity is required for change_quantity");
                }
                if (r.quantity() < 1 || r.quantity() > 1_000_000) {
                    throw AccrueException.invalid("quantity", "quantity must be 1-1000000, got " + r.quantity());
                }
                onlyFor(r.plan() != null, "plan", "change_plan");
                onlyFor(r.reason() != null, "reason", "cancel");
            }
            case CANCEL -> {
                onlyFor(r.plan() != null, "plan", "change_plan");
                onlyFor(r.quantity() != null, "quantity", "change_quantity");
            }
            case CHANGE_INTERVAL -> {
                if (r.interval() == null) {
                    throw new AccrueException(ErrorCode.MISSING_FIELD, "interval", "interval is required for change_interval");
                }
                if (BillingInterval.fromWire(r.interval()) == null) {
                    throw AccrueException.invalid("interval", "interval must be week, month, quarter, half_year or year, got '" + r.interval() + "'");
                }
                onlyFor(r.plan() != null, "plan", "change_plan");
                onlyFor(r.quantity() != null, "quantity", "change_quantity");
                onlyFor(r.reason() != null, "reason", "cancel");
            }
        }
        if (kind != ScheduledAction.Kind.CHANGE_INTERVAL) {
            onlyFor(r.interval() != null, "interval", "change_interval");
        }
        return kind;
    }

    private static void onlyFor(boolean present, String field, String action) {
        if (present) {
            throw AccrueException.invalid(field, field + " belongs to action " + action + " only");
        }
    }

    /**
     * What can be known now about the action on its date: the target plan exists and fits, and a downgrade, fewer seats or a
     * cancellation would not take effect inside the lock-in (on the date itself, or at the end of the period holding it when
     * the rules defer it there). Checked again on the date, when anything may have changed.
     */
    private void requirePossible(String tenantId, Subscription sub, Customer customer, ScheduledAction.Kind kind, Request r, LocalDate on) {
        Plan current = due.plan(tenantId, sub);
        // before billing starts, or on a period boundary, a change takes effect on its date; inside a period, a deferred one at its end
        var period = on.isBefore(sub.anchor()) ? null : sub.periodContaining(on);
        LocalDate deferredTo = period == null || period.start().equals(on) ? on : period.end();
        switch (kind) {
            case CHANGE_PLAN -> {
                var target = due.target(tenantId, sub, current, r.plan(), on, customer, false);
                if (target.plan().tier() <= current.tier()) {
                    PlanChanges.requireOutsideLockIn(sub, deferredTo, "Downgrades");
                }
            }
            case CHANGE_QUANTITY -> {
                if (r.quantity() < sub.quantity()) {
                    PlanChanges.requireOutsideLockIn(sub, deferredTo, "Quantity decreases");
                }
            }
            case CANCEL -> PlanChanges.requireOutsideLockIn(sub,
                    current.cancellation().effective() == CancellationPolicy.Effective.IMMEDIATE ? on : deferredTo, "Cancellations");
            case CHANGE_INTERVAL -> {
                due.requireIntervalOffered(current, BillingInterval.fromWire(r.interval()));
                billing.phases().requireNoPhaseRunning(tenantId, sub, on); // phases count full periods of one interval
            }
        }
    }
}

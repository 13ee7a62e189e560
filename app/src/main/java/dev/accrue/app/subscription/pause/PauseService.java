package dev.accrue.app.subscription.pause;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.credit.CustomerCredits;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.CancellationRefund;
import dev.accrue.core.subscription.Subscription;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pause and resume, a customer's choice — distinct from suspension, which stops service for non-payment while billing goes
 * on. A pause stops billing from today: the unused part of the paid period comes back as customer credit (as a prorated
 * refund does), and the periods that start while paused bill no recurring or counted fees. Billing dates never move: a
 * resume (today by hand, or on {@code resume_on} by the billing run) charges the rest of the period it falls in. Usage
 * reported while paused is not refused: it is billed with its period like any usage.
 */
public final class PauseService {
    static final int MAX_DAYS_AHEAD = 3660;
    private final Transactions tx;
    private final PauseRepository pauses;
    private final PausedBilling billingOfPauses;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final BillingService billing;
    private final CustomerCredits credits;
    private final CustomerTime time;
    private final AuditLog audit;
    private final DomainEvents events;

    public PauseService(Transactions tx, PauseRepository pauses, PausedBilling billingOfPauses, SubscriptionRepository subscriptions,
                        CustomerRepository customers, BillingService billing, CustomerCredits credits, CustomerTime time, AuditLog audit,
                        DomainEvents events) {
        this.tx = tx;
        this.pauses = pauses;
        this.billingOfPauses = billingOfPauses;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.billing = billing;
        this.credits = credits;
        this.time = time;
        this.audit = audit;
        this.events = events;
    }

    public SubscriptionPause pause(Caller caller, String id, LocalDate resumeOn) {
        caller.requireWrite();
        SubscriptionPause created = tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("subscription", id));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            if (sub.endedOn() != null) {
                throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "Subscription " + id + (today.isBefore(sub.endedOn()) ? " ends" : " ended")
                        + " on " + sub.endedOn() + "; it cannot pause");
            }
            var open = pauses.openForUpdate(caller.tenantId(), id);
            if (open.isPresent()) {
                throw new AccrueException(ErrorCode.SUBSCRIPTION_PAUSED, "Subscription " + id + " is paused since " + open.get().pausedOn()
                        + " (" + open.get().id() + ")");
            }
            boolean paidPeriodRunning = sub.billedThrough() != null && today.isBefore(sub.billedThrough()) && !today.isBefore(sub.anchor());
            if (!paidPeriodRunning) {
                throw AccrueException.invalid("status", "Only a subscription in a paid period can pause; " + id + " has none running on " + today
                        + " (trial, future start or billing not yet run)");
            }
            if (resumeOn != null && (!resumeOn.isAfter(today) || resumeOn.isAfter(today.plusDays(MAX_DAYS_AHEAD)))) {
                throw AccrueException.invalid("resume_on", "resume_on must be after today (" + today + ") and at most " + MAX_DAYS_AHEAD
                        + " days ahead, got " + resumeOn);
            }
            SubscriptionPause pause = new SubscriptionPause(Ids.next("pau"), id, today, resumeOn, null, time.systemNow());
            pauses.insert(caller.tenantId(), pause);
            Plan plan = billing.plan(caller.tenantId(), sub);
            var refund = CancellationRefund.of(sub, plan, today, customer.currency(), billing.rounding(caller.tenantId()));
            if (refund.amount().isPositive()) {
                credits.grant(caller.tenantId(), customer, refund.amount(), pause.id(), "Unused days of " + plan.name() + ", " + refund.unused().start()
                        + " to " + refund.unused().end().minusDays(1) + " (" + refund.share().numerator() + "/" + refund.share().denominator()
                        + " days), subscription " + id + " paused");
            }
            audit.record(caller, "subscription", id, "subscription.paused", null, Map.of("pause_id", pause.id(), "paused_on", today.toString(),
                    "credit", refund.amount().toPlainMinorString()));
            events.record(caller.tenantId(), EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CHANGED, sub, time.systemNow(),
                    Map.of("change", "paused", "pause_id", pause.id(), "paused_on", today.toString())));
            return pause;
        });
        return created;
    }

    public SubscriptionPause resume(Caller caller, String id) {
        caller.requireWrite();
        String pauseId = tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("subscription", id));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            // boundaries that passed are billed (as paused) first, so the resume charges the period it falls in exactly once
            billing.billDue(caller.tenantId(), id);
            sub = subscriptions.findForUpdate(caller.tenantId(), id).orElseThrow();
            SubscriptionPause open = pauses.openForUpdate(caller.tenantId(), id)
                    .orElseThrow(() -> new AccrueException(ErrorCode.SUBSCRIPTION_NOT_PAUSED, "Subscription " + id + " is not paused"));
            billingOfPauses.resume(caller.tenantId(), sub, customer, open, time.today(caller.tenantId(), customer), caller, new ArrayList<>());
            return open.id();
        });
        return list(caller, id).stream().filter(p -> p.id().equals(pauseId)).findFirst().orElseThrow();
    }

    /** Every pause of the subscription, oldest first. */
    public List<SubscriptionPause> list(Caller caller, String id) {
        return tx.inTransaction(() -> {
            subscriptions.find(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("subscription", id));
            return pauses.forSubscription(caller.tenantId(), id);
        });
    }
}

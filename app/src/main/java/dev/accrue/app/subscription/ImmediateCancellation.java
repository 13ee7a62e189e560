package dev.accrue.app.subscription;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.credit.CustomerCredits;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.CancellationPolicy;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.CancellationRefund;
import dev.accrue.core.subscription.PlanChanges;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.RoundingPolicy;

import java.time.LocalDate;
import java.util.Map;

/** Cancellation that ends service at once, for plans whose catalog says {@code cancellation: {effective: immediate}}. */
public final class ImmediateCancellation {
    private final DomainEvents events;
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final BillingService billing;
    private final CustomerTime time;
    private final AuditLog audit;
    private final CustomerCredits credits;

    public ImmediateCancellation(Transactions tx, SubscriptionRepository subscriptions, CustomerRepository customers, BillingService billing,
                                 CustomerTime time, AuditLog audit, CustomerCredits credits, DomainEvents events) {
        this.events = events;
        this.tx = tx;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.billing = billing;
        this.time = time;
        this.audit = audit;
        this.credits = credits;
    }

    /**
     * A cancellation under {@code cancellation: {effective: immediate}}: service ends today (lock-in checked
     * against today, the effective date). With {@code refund: prorated} the unused days of the paid period become
     * customer credit, consumed by the customer's next invoices. Usage billed in arrears gets its final invoice at
     * once, for the part of the period served. All in one transaction.
     */
    public Subscription cancel(Caller caller, String id, String why, Plan plan) {
        tx.run(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("subscription", id));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
                throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "Subscription " + id + " ended on " + sub.endedOn());
            }
            LocalDate end = today.isBefore(sub.startDate()) ? sub.startDate() : today;
            PlanChanges.requireOutsideLockIn(sub, end, "Cancellations");
            RoundingPolicy rounding = billing.rounding(caller.tenantId());
            if (plan.cancellation().refund() == CancellationPolicy.Refund.PRORATED) {
                // the unused days are given back at the price they were billed at (an introductory price while it ran)
                var refund = CancellationRefund.of(sub, billing.planBilledOn(caller.tenantId(), sub, end), end, customer.currency(), rounding);
                if (refund.amount().isPositive()) {
                    credits.grant(caller.tenantId(), customer, refund.amount(), sub.id(), "Unused days of " + plan.name() + ", "
                            + refund.unused().start() + " to " + refund.unused().end().minusDays(1) + " (" + refund.share().numerator() + "/"
                            + refund.share().denominator() + " days), subscription " + sub.id() + " cancelled");
                }
            }
            Subscription after = sub.with(sub.catalogVersion(), sub.planCode(), null, true, why, end);
            subscriptions.update(caller.tenantId(), after, time.systemNow());
            audit.record(caller, "subscription", id, "subscription.cancelled", sub, after);
            events.record(caller.tenantId(), EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CANCELLED, after, time.systemNow(), Map.of("effective_on", end.toString())));
            // the final invoice (parked items, the usage and in-arrears fees of the days served) is billing's, at once
            billing.billDue(caller.tenantId(), id);
        });
        return tx.inTransaction(() -> subscriptions.find(caller.tenantId(), id)).orElseThrow();
    }

}

package dev.accrue.app.subscription.scheduled;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.billing.InvoiceIssuer;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.contact.CountedBilling;
import dev.accrue.app.credit.CustomerCredits;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.subscription.PendingItems;
import dev.accrue.app.subscription.pause.PausedBilling;
import dev.accrue.core.catalog.CancellationPolicy;
import dev.accrue.core.catalog.ChangePolicy;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.subscription.CancellationRefund;
import dev.accrue.core.subscription.ChangeQuote;
import dev.accrue.core.subscription.PlanChanges;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.ScheduledAction;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The billing run's stage for dated actions. Called by {@code BillingService} with the subscription's row held, before
 * each boundary it bills: every scheduled action dated on or before both the customer's today and the next unbilled
 * boundary is performed, in date order, as the same request sent on its date would have been —
 * <ul>
 *   <li>inside a paid period: an upgrade or more seats take effect that day with the proration of an immediate change
 *   (invoiced at once under the action's id as billing key, or parked for the next invoice, as the plan says); a
 *   downgrade, fewer seats or an end-of-period cancellation become the pending change at that period's end (the one
 *   mechanism period-end changes already use); an immediate cancellation ends service that day (with its refund);</li>
 *   <li>on the boundary itself (the day the next period starts): the change becomes that boundary's pending change, so
 *   the closing period's usage is still priced on the plan it was used under;</li>
 *   <li>before anything was billed (trial, future start): it applies at once, like the same request.</li>
 * </ul>
 * An action that is no longer possible on its date (the subscription ended, a lock-in, a plan gone from the catalog) is
 * marked {@code failed} with the reason and billing goes on. Writes only what the run commits with the subscription.
 */
public final class DueScheduledActions {
    private final ScheduledActionRepository actions;
    private final CatalogService catalogs;
    private final InvoiceIssuer issuer;
    private final PendingItems pending;
    private final CountedBilling counted;
    private final CustomerCredits credits;
    private final CustomerTime time;
    private final AuditLog audit;
    private final DomainEvents events;
    private final PausedBilling pauses;

    public DueScheduledActions(ScheduledActionRepository actions, CatalogService catalogs, InvoiceIssuer issuer, PendingItems pending,
                               CountedBilling counted, CustomerCredits credits, CustomerTime time, AuditLog audit, DomainEvents events,
                               PausedBilling pauses) {
        this.pauses = pauses;
        this.actions = actions;
        this.catalogs = catalogs;
        this.issuer = issuer;
        this.pending = pending;
        this.counted = counted;
        this.credits = credits;
        this.time = time;
        this.audit = audit;
        this.events = events;
    }

    /** Performs the actions due on or before {@code today} and the next unbilled boundary; returns the subscription after them. */
    public Subscription applyDue(String tenantId, Subscription sub, Customer customer, LocalDate today, List<Invoice> issued) {
        boolean ended = sub.endedOn() != null;
        LocalDate through = ended ? LocalDate.MAX : sub.nextBillDate().isBefore(today) ? sub.nextBillDate() : today;
        if (!ended) {
            pauses.resumeDue(tenantId, sub, customer, through, issued); // an automatic resume is dated too
        }
        for (ScheduledAction a : actions.dueForUpdate(tenantId, sub.id(), through)) {
            Subscription before = sub;
            try {
                if (sub.endedOn() != null) {
                    throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "The subscription ended on " + sub.endedOn());
                }
                sub = apply(tenantId, a, sub, customer, issued);
            } catch (AccrueException refused) {
                actions.settle(tenantId, a.settled(ScheduledAction.Status.FAILED, refused.getMessage(), time.systemNow()));
                audit.record(Caller.system(tenantId), "subscription", sub.id(), "subscription.scheduled_action_failed", null,
                        Map.of("action_id", a.id(), "failure", refused.getMessage()));
                continue;
            }
            actions.settle(tenantId, a.settled(ScheduledAction.Status.APPLIED, null, time.systemNow()));
            audit.record(Caller.system(tenantId), "subscription", sub.id(), "subscription.scheduled_action_applied", before, sub);
            events.record(tenantId, sub.endedOn() != null && before.endedOn() == null
                    ? EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CANCELLED, sub, time.systemNow(), Map.of("effective_on", sub.endedOn().toString()))
                    : EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CHANGED, sub, time.systemNow(),
                            Map.of("change", "scheduled_" + a.kind().wire(), "previous_plan", before.planCode(), "scheduled_action_id", a.id())));
        }
        return sub;
    }

    /** Whether the boundary {@code day} falls in a pause: its period then bills no recurring or counted fees. */
    public boolean paused(String tenantId, Subscription sub, LocalDate day) {
        return pauses.paused(tenantId, sub.id(), day);
    }

    private Subscription apply(String tenantId, ScheduledAction a, Subscription sub, Customer customer, List<Invoice> issued) {
        LocalDate on = a.effectiveOn();
        RoundingPolicy rounding = issuer.rounding(tenantId);
        Plan current = plan(tenantId, sub);
        boolean onBoundary = sub.billedThrough() != null && on.equals(sub.billedThrough());
        return switch (a.kind()) {
            case CHANGE_PLAN -> {
                var target = target(tenantId, sub, current, a.plan(), on, customer, true);
                boolean upgrade = target.plan().tier() > current.tier();
                if (onBoundary) {
                    if (!upgrade) {
                        PlanChanges.requireOutsideLockIn(sub, on, "Downgrades");
                    }
                    yield sub.with(sub.catalogVersion(), sub.planCode(), target.plan().code(), sub.cancelAtPeriodEnd(), sub.cancelReason(), null);
                }
                ChangeQuote quote = PlanChanges.quote(sub, current, target.plan(), upgrade, false, on, customer.currency(), rounding);
                quote = counted.withUpgrade(tenantId, sub, current, target.plan(), customer, on, rounding, quote, false);
                invoiceOrPark(tenantId, a, sub, customer, target.plan(), quote.lines(), issued);
                yield quote.timing() == ChangeQuote.Timing.IMMEDIATE
                        ? sub.with(target.version(), target.plan().code(), null, sub.cancelAtPeriodEnd(), sub.cancelReason(), sub.endedOn())
                        : sub.with(sub.catalogVersion(), sub.planCode(), target.plan().code(), sub.cancelAtPeriodEnd(), sub.cancelReason(), sub.endedOn());
            }
            case CHANGE_QUANTITY -> {
                int q = a.quantity();
                if (onBoundary) {
                    if (q < sub.quantity()) {
                        PlanChanges.requireOutsideLockIn(sub, on, "Quantity decreases");
                    }
                    yield sub.withPendingQuantity(q == sub.quantity() ? null : q);
                }
                ChangeQuote quote = PlanChanges.quoteQuantity(sub, current, q, on, customer.currency(), rounding);
                invoiceOrPark(tenantId, a, sub, customer, current, quote.lines(), issued);
                yield quote.timing() == ChangeQuote.Timing.IMMEDIATE ? sub.withQuantity(q) : sub.withPendingQuantity(q);
            }
            case CANCEL -> cancel(tenantId, a, sub, customer, current, onBoundary, rounding);
            case CHANGE_INTERVAL -> {
                // the request sent that day: the move waits for the end of the paid period (or applies at once before billing starts)
                requireIntervalOffered(current, a.interval());
                if (a.interval() == sub.interval()) {
                    yield sub.withPendingInterval(null);
                }
                yield sub.billedThrough() == null ? sub.withInterval(a.interval(), sub.anchor()) : sub.withPendingInterval(a.interval());
            }
        };
    }

    /** A plan must offer the interval a subscription moves to (with a price in its catalog, checked as the plan is valid). */
    public void requireIntervalOffered(Plan plan, BillingInterval interval) {
        if (plan.interval(interval).isEmpty()) {
            throw AccrueException.invalid("interval", "Plan " + plan.code() + " is not sold on a " + interval.wire() + " interval");
        }
    }

    /** A cancellation on its date, under the plan's cancellation policy, as {@code POST …/cancel} sent that day. */
    private Subscription cancel(String tenantId, ScheduledAction a, Subscription sub, Customer customer, Plan plan, boolean onBoundary,
                                RoundingPolicy rounding) {
        LocalDate on = a.effectiveOn();
        String why = a.reason();
        boolean nothingPaidRunning = sub.billedThrough() == null || !on.isBefore(sub.billedThrough());
        if (onBoundary) {
            PlanChanges.requireOutsideLockIn(sub, on, "Cancellations");
            return sub.with(sub.catalogVersion(), sub.planCode(), null, true, why, null);
        }
        LocalDate end = on.isBefore(sub.startDate()) ? sub.startDate() : on;
        if (plan.cancellation().effective() == CancellationPolicy.Effective.IMMEDIATE || nothingPaidRunning) {
            PlanChanges.requireOutsideLockIn(sub, end, "Cancellations");
            if (plan.cancellation().refund() == CancellationPolicy.Refund.PRORATED) {
                var refund = CancellationRefund.of(sub, plan, end, customer.currency(), rounding);
                if (refund.amount().isPositive()) {
                    credits.grant(tenantId, customer, refund.amount(), sub.id(), "Unused days of " + plan.name() + ", " + refund.unused().start()
                            + " to " + refund.unused().end().minusDays(1) + " (" + refund.share().numerator() + "/" + refund.share().denominator()
                            + " days), subscription " + sub.id() + " cancelled by scheduled action " + a.id());
                }
            }
            return sub.with(sub.catalogVersion(), sub.planCode(), null, true, why, end);
        }
        PlanChanges.requireOutsideLockIn(sub, sub.billedThrough(), "Cancellations");
        return sub.with(sub.catalogVersion(), sub.planCode(), sub.pendingPlanCode(), true, why, null);
    }

    /**
     * An immediate change's lines: invoiced at once (the action's id is the billing key, so a rerun bills it once) or
     * parked for the next regular invoice, as the plan's {@code upgrade_invoicing} says. A back-dated action's invoice
     * is dated the day it was asked for, never earlier.
     */
    private void invoiceOrPark(String tenantId, ScheduledAction a, Subscription sub, Customer customer, Plan plan, List<InvoiceLine> lines,
                               List<Invoice> issued) {
        if (lines.isEmpty()) {
            return;
        }
        if (plan.changePolicy().upgradeInvoicing() == ChangePolicy.ProrationInvoicing.IMMEDIATE) {
            LocalDate issueDate = a.effectiveOn().isBefore(a.requestedOn()) ? a.requestedOn() : a.effectiveOn();
            Invoice invoice = issuer.issueFor(plan, tenantId, customer, sub.id(), a.id(), issueDate, span(lines), lines);
            if (invoice != null) {
                issued.add(invoice);
            }
        } else {
            for (InvoiceLine line : lines) {
                pending.add(tenantId, sub.id(), customer.id(), line, time.systemNow());
            }
        }
    }

    record Target(int version, Plan plan) {
    }

    /**
     * The plan a change moves to: of the catalog version in force on {@code on}, with the subscription's overrides; of the
     * same product, sold on the subscription's interval, priced in the customer's currency. The API checks the same when
     * the action is scheduled (but for being on that plan already: earlier actions may move it first), so a refusal here
     * means the catalog or the subscription changed since.
     */
    Target target(String tenantId, Subscription sub, Plan current, String planCode, LocalDate on, Customer customer, boolean onItsDate) {
        var catalog = catalogs.current(tenantId, on.atStartOfDay(customer.timeZone()).toInstant());
        Plan to = catalog.catalog().plan(planCode).orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "plan",
                "No plan '" + planCode + "' in catalog version " + catalog.version().version()));
        if (onItsDate && to.code().equals(current.code())) {
            throw AccrueException.invalid("plan", "The subscription is already on plan " + planCode);
        }
        if (!to.product().equals(current.product())) {
            throw AccrueException.invalid("plan", "Plan " + planCode + " belongs to product " + to.product() + ", not " + current.product());
        }
        if (to.interval(sub.interval()).isEmpty()) {
            throw AccrueException.invalid("plan", "Plan " + planCode + " is not sold on a " + sub.interval().wire() + " interval");
        }
        Plan priced = sub.overrides().applyTo(to);
        for (var charge : priced.charges()) {
            if (charge instanceof RecurringCharge r) {
                RecurringBilling.periodPrice(sub, priced, r, customer.currency()); // currency_mismatch when it has no price
            }
        }
        return new Target(catalog.version().version(), priced);
    }

    Plan plan(String tenantId, Subscription sub) {
        return sub.overrides().applyTo(catalogs.catalog(tenantId, sub.catalogVersion()).plan(sub.planCode()).orElseThrow());
    }

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
}

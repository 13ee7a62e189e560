package dev.accrue.core.subscription;

import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.BillingSchedule;
import dev.accrue.core.time.Period;

import java.time.LocalDate;

/**
 * A customer's subscription to a plan of one catalog version. All dates are local dates in the customer's
 * time zone. {@code anchor} fixes the billing schedule (the start, or the trial end for anniversary
 * alignment); {@code nextBillDate} is the boundary at which the next in-advance invoice is due;
 * {@code billedThrough} is the end of the last period already invoiced (null before the first invoice).
 * {@code quantity} (seats, ≥ 1) multiplies every recurring charge. {@code usageInvoicedThrough} is how far usage
 * billed on its own cadence (weekly SMS) has been invoiced.
 * A pending plan or interval change or a cancellation takes effect at {@code billedThrough}, which is also the current
 * period's end. Billing dates never move on a change.
 */
public record Subscription(
        String id,
        String customerId,
        int catalogVersion,
        String planCode,
        BillingInterval interval,
        Alignment alignment,
        LocalDate startDate,
        LocalDate trialEnd,
        LocalDate anchor,
        LocalDate nextBillDate,
        LocalDate billedThrough,
        String pendingPlanCode,
        BillingInterval pendingInterval,
        boolean cancelAtPeriodEnd,
        String cancelReason,
        LocalDate endedOn,
        LocalDate lockInUntil,
        PlanOverrides overrides,
        int quantity,
        Integer pendingQuantity,
        LocalDate suspendedOn,
        LocalDate usageInvoicedThrough,
        int version,
        Integer billingCycleDay,
        Integer pendingBillingCycleDay) {

    public BillingSchedule schedule() {
        return BillingSchedule.of(anchor, interval, alignment, billingCycleDay);
    }

    /** The period that holds {@code day}, or null before the first billed day. */
    public Period periodContaining(LocalDate day) {
        return day.isBefore(anchor) ? null : schedule().periodContaining(day);
    }

    /**
     * The full nominal period a (possibly stub) period belongs to: a calendar-aligned first period that starts
     * mid-month is priced against the whole month it cuts, so 10 days of a 31-day month cost 10/31.
     */
    public Period fullPeriodOf(Period period) {
        if (billingCycleDay != null && !interval.isWeekly()) {
            // a stub opened by a cycle day (at the start, or the bridge after a change of day) is priced against the
            // nominal period it cuts, which begins on the cycle day before the anchor
            LocalDate cycleStart = schedule().nominalStart();
            boolean stub = period.start().equals(anchor) && cycleStart.isBefore(anchor);
            return stub ? new Period(cycleStart, period.end()) : period;
        }
        LocalDate nominalStart = interval.isWeekly() ? period.end().minusDays(7) : period.end().minusMonths(interval.months());
        boolean stub = alignment == Alignment.CALENDAR && period.start().equals(anchor) && nominalStart.isBefore(period.start());
        return stub ? new Period(nominalStart, period.end()) : period;
    }

    /**
     * The status shown to people: {@link #statusOn(LocalDate)}, except that a subscription whose billing is paused today
     * reads PAUSED instead of running (active, pending change, canceled at period end); ended, not yet started and
     * suspended say more and win. After the resume it reads what it would have read anyway.
     */
    public SubscriptionStatus statusOn(LocalDate today, boolean pausedToday) {
        SubscriptionStatus status = statusOn(today);
        boolean running = status == SubscriptionStatus.ACTIVE || status == SubscriptionStatus.PENDING_CHANGE
                || status == SubscriptionStatus.CANCELED_AT_PERIOD_END || status == SubscriptionStatus.TRIALING;
        return pausedToday && running ? SubscriptionStatus.PAUSED : status;
    }

    public SubscriptionStatus statusOn(LocalDate today) {
        if (endedOn != null && !today.isBefore(endedOn)) {
            return SubscriptionStatus.ENDED;
        }
        if (today.isBefore(startDate)) {
            return SubscriptionStatus.PENDING_START;
        }
        if (suspendedOn != null && !today.isBefore(suspendedOn)) {
            return SubscriptionStatus.SUSPENDED;
        }
        if (trialEnd != null && today.isBefore(trialEnd)) {
            return SubscriptionStatus.TRIALING;
        }
        if (cancelAtPeriodEnd) {
            return SubscriptionStatus.CANCELED_AT_PERIOD_END;
        }
        return pendingPlanCode != null ? SubscriptionStatus.PENDING_CHANGE : SubscriptionStatus.ACTIVE;
    }

    public Subscription with(int newCatalogVersion, String newPlan, String newPending, boolean cancel, String reason, LocalDate ended) {
        return new Subscription(id, customerId, newCatalogVersion, newPlan, interval, alignment, startDate, trialEnd, anchor,
                nextBillDate, billedThrough, newPending, pendingInterval, cancel, reason, ended, lockInUntil, overrides, quantity, pendingQuantity, suspendedOn, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }

    /** A longer trial: billing (and, for every alignment, the schedule's anchor) moves to the new trial end. */
    public Subscription withTrialEnd(LocalDate newTrialEnd) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, newTrialEnd, newTrialEnd,
                newTrialEnd, billedThrough, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides, quantity, pendingQuantity, suspendedOn, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }

    public Subscription withOverrides(PlanOverrides newOverrides) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, anchor,
                nextBillDate, billedThrough, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, newOverrides, quantity, pendingQuantity, suspendedOn, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }

    /** Schedules (or with {@code null} revokes) a move to another interval at the end of the current period. */
    public Subscription withPendingInterval(BillingInterval next) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, anchor,
                nextBillDate, billedThrough, pendingPlanCode, next, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides, quantity, pendingQuantity, suspendedOn, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }

    /**
     * Switches to a new interval now, restarting the schedule at {@code from} (a period boundary, or the first
     * billing day when nothing was billed yet); billing dates before it do not move.
     */
    public Subscription withInterval(BillingInterval newInterval, LocalDate from) {
        return new Subscription(id, customerId, catalogVersion, planCode, newInterval, alignment, startDate, trialEnd, from,
                nextBillDate, billedThrough, pendingPlanCode, null, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides, quantity, pendingQuantity, suspendedOn, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }

    /** The number of units (seats) each recurring charge is multiplied by, changed now. */
    public Subscription withQuantity(int newQuantity) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, anchor,
                nextBillDate, billedThrough, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides,
                newQuantity, null, suspendedOn, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }

    /** Schedules (or with {@code null} revokes) a lower quantity for the end of the current period. */
    public Subscription withPendingQuantity(Integer next) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, anchor,
                nextBillDate, billedThrough, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides,
                quantity, next, suspendedOn, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }

    /** Suspends service from {@code on} (null reinstates it). The contract, and so its billing, continues. */
    public Subscription withSuspension(LocalDate on) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, anchor,
                nextBillDate, billedThrough, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides,
                quantity, pendingQuantity, on, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }

    public Subscription withUsageInvoicedThrough(LocalDate through) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, anchor,
                nextBillDate, billedThrough, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides,
                quantity, pendingQuantity, suspendedOn, through, version, billingCycleDay, pendingBillingCycleDay);
    }

    /**
     * Moves billing to another day of the month from {@code from} (a period boundary, or the first billing day when
     * nothing was billed yet): the schedule restarts there, so the first period up to the new day is a prorated bridge.
     */
    public Subscription withBillingCycleDay(Integer day, LocalDate from) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, from,
                nextBillDate, billedThrough, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides,
                quantity, pendingQuantity, suspendedOn, usageInvoicedThrough, version, day, null);
    }

    /** Schedules (or with {@code null} revokes) a move to another billing cycle day at the end of the current period. */
    public Subscription withPendingBillingCycleDay(Integer day) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, anchor,
                nextBillDate, billedThrough, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides,
                quantity, pendingQuantity, suspendedOn, usageInvoicedThrough, version, billingCycleDay, day);
    }

    public Subscription billed(LocalDate next, LocalDate through) {
        return new Subscription(id, customerId, catalogVersion, planCode, interval, alignment, startDate, trialEnd, anchor,
                next, through, pendingPlanCode, pendingInterval, cancelAtPeriodEnd, cancelReason, endedOn, lockInUntil, overrides, quantity, pendingQuantity, suspendedOn, usageInvoicedThrough, version, billingCycleDay, pendingBillingCycleDay);
    }
}

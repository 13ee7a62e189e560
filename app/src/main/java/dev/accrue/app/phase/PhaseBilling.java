package dev.accrue.app.phase;

import dev.accrue.core.catalog.Plan;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.subscription.PlanPhases;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;

import java.time.LocalDate;
import java.util.Currency;
import java.util.List;

/**
 * Plan phases as billing meets them (the rules are {@link PlanPhases}): their dates are fixed when a subscription starts on a
 * plan with phases, and hold while it stays on that plan and catalog version — a plan change leaves the phases behind.
 */
public final class PhaseBilling {
    /** Why a subscription ends at its term's end (its cancel reason). */
    public static final String TERM_ENDED = "term ended";
    private final SubscriptionPhases phases;

    public PhaseBilling(SubscriptionPhases phases) {
        this.phases = phases;
    }

    /** Fixes (or, after a trial extension, moves) the phase dates of a subscription on {@code plan}; nothing for a plan without phases. */
    public void start(String tenantId, Subscription sub, Plan plan) {
        if (plan.hasPhases()) {
            phases.save(tenantId, sub.id(), new SubscriptionPhases.Stored(plan.code(), sub.catalogVersion(), PlanPhases.datesFor(plan, sub)));
        }
    }

    /** The phase dates in force: none once the subscription left the plan (or catalog version) its phases belong to. */
    public PlanPhases.Dates dates(String tenantId, Subscription sub) {
        return phases.find(tenantId, sub.id())
                .filter(s -> s.planCode().equals(sub.planCode()) && s.catalogVersion() == sub.catalogVersion())
                .map(SubscriptionPhases.Stored::dates).orElse(PlanPhases.Dates.NONE);
    }

    /** The plan as billed for {@code period}: at the introductory prices while the introduction runs. */
    public Plan billedDuring(String tenantId, Subscription sub, Plan plan, Period period) {
        return plan.introductory() == null ? plan : PlanPhases.billedDuring(plan, dates(tenantId, sub), period);
    }

    /** The one-time fees on the invoice that opens {@code period}. */
    public List<InvoiceLine> feesOpening(String tenantId, Subscription sub, Plan plan, Period period, boolean firstPeriod, Currency currency) {
        return plan.oneTimeFees().isEmpty() ? List.of() : PlanPhases.feesOpening(plan, dates(tenantId, sub), period, firstPeriod, currency);
    }

    /**
     * At a period boundary: when the fixed term ends there, the subscription moves to the term's next plan (as a change at
     * period end, unless one was already asked for) or is set to end there (unless it already is).
     */
    public Subscription atBoundary(String tenantId, Subscription sub, Plan plan, LocalDate boundary) {
        if (plan.term() == null || sub.cancelAtPeriodEnd() || sub.pendingPlanCode() != null || !boundary.equals(dates(tenantId, sub).termEnds())) {
            return sub;
        }
        return plan.term().thenPlan() != null
                ? sub.with(sub.catalogVersion(), sub.planCode(), plan.term().thenPlan(), false, null, null)
                : sub.with(sub.catalogVersion(), sub.planCode(), null, true, TERM_ENDED, null);
    }

    /**
     * An interval change restarts the schedule the phases are counted on, so it waits for them: refused while the
     * introduction or the term runs on {@code today}.
     */
    public void requireNoPhaseRunning(String tenantId, Subscription sub, LocalDate today) {
        PlanPhases.Dates d = dates(tenantId, sub);
        LocalDate until = later(d.introductionEnds(), d.termEnds());
        if (until != null && today.isBefore(until)) {
            throw AccrueException.invalid("interval", "Subscription " + sub.id() + " is in a plan phase (introductory price or fixed term) until "
                    + until + "; its interval can change from then on");
        }
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}

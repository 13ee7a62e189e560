package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.ChangePolicy;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.BillingTiming;
import dev.accrue.core.time.Fraction;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.PeriodLabel;
import dev.accrue.core.time.Proration;
import dev.accrue.core.time.ProrationPolicy;
import dev.accrue.core.time.RoundingPolicy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prices a plan change. An upgrade (higher tier) takes effect on {@code today} unless the plan's policy or the
 * request says next period; each recurring charge then costs (new − old) × remaining/total days, the change
 * day counted as remaining, or the full new price for charges that are never prorated. Downgrades wait for
 * period end, and both downgrades and cancellations are refused when they would take effect inside a lock-in term.
 */
public final class PlanChanges {
    private PlanChanges() {
    }

    public static ChangeQuote quote(Subscription sub, Plan current, Plan target, boolean upgrade, boolean requestNextPeriod,
                                    LocalDate today, Currency currency, RoundingPolicy rounding) {
        if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
            throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "Subscription " + sub.id() + " ended on " + sub.endedOn());
        }
        if (current.code().equals(target.code())) {
            throw AccrueException.invalid("plan", "The subscription is already on plan " + target.code());
        }
        Period period = sub.billedThrough() == null ? null : sub.periodContaining(today);
        boolean billedPeriodRunning = period != null && today.isBefore(sub.billedThrough());
        boolean immediate = upgrade && !requestNextPeriod && target.changePolicy().upgrade() == ChangePolicy.UpgradeTiming.IMMEDIATE;
        if (!billedPeriodRunning) {
            // Nothing billed yet (future start, trial): the change simply applies before the first invoice.
            if (!upgrade) {
                requireOutsideLockIn(sub, today, "Downgrades");
            }
            return new ChangeQuote(ChangeQuote.Timing.IMMEDIATE, today, List.of());
        }
        if (!immediate) {
            if (!upgrade) {
                requireOutsideLockIn(sub, sub.billedThrough(), "Downgrades");
            }
            return new ChangeQuote(ChangeQuote.Timing.AT_PERIOD_END, sub.billedThrough(), List.of());
        }
        return new ChangeQuote(ChangeQuote.Timing.IMMEDIATE, today,
                upgradeLines(sub, current, sub.quantity(), target, sub.quantity(), "Upgrade to " + target.name(), today, period, currency, rounding));
    }

    /**
     * Prices a change of quantity (seats). More seats apply at once, each new seat charged for the rest of the
     * period like an upgrade; fewer seats wait for period end (no refund).
     */
    public static ChangeQuote quoteQuantity(Subscription sub, Plan plan, int newQuantity, LocalDate today, Currency currency, RoundingPolicy rounding) {
        if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
            throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "Subscription " + sub.id() + " ended on " + sub.endedOn());
        }
        if (newQuantity == sub.quantity()) {
            throw AccrueException.invalid("quantity", "The subscription already has quantity " + newQuantity);
        }
        boolean increase = newQuantity > sub.quantity();
        Period period = sub.billedThrough() == null ? null : sub.periodContaining(today);
        boolean billedPeriodRunning = period != null && today.isBefore(sub.billedThrough());
        if (!billedPeriodRunning) {
            if (!increase) {
                requireOutsideLockIn(sub, today, "Quantity decreases");
            }
            return new ChangeQuote(ChangeQuote.Timing.IMMEDIATE, today, List.of());
        }
        if (!increase) {
            requireOutsideLockIn(sub, sub.billedThrough(), "Quantity decreases");
            return new ChangeQuote(ChangeQuote.Timing.AT_PERIOD_END, sub.billedThrough(), List.of());
        }
        return new ChangeQuote(ChangeQuote.Timing.IMMEDIATE, today,
                upgradeLines(sub, plan, sub.quantity(), plan, newQuantity, "Quantity " + sub.quantity() + " → " + newQuantity, today, period, currency, rounding));
    }

    /**
     * The lock-in binds the date a change takes <em>effect</em>, not the day it is asked for: a cancellation
     * asked in month 11 of a 12-month term that ends with the term is allowed, so the term binds 12 months and
     * not 24. A refusal carries {@code allowed_from} (the first effective date allowed, the lock-in end) and
     * {@code effective_on} (when this request would have taken effect) as structured facts.
     */
    public static void requireOutsideLockIn(Subscription sub, LocalDate effectiveOn, String what) {
        if (sub.lockInUntil() != null && effectiveOn.isBefore(sub.lockInUntil())) {
            throw new AccrueException(ErrorCode.LOCK_IN_ACTIVE, null,
                    what + " may not take effect during the lock-in term: this one would on " + effectiveOn
                            + "; allowed to take effect from " + sub.lockInUntil(),
                    Map.of("allowed_from", sub.lockInUntil(), "effective_on", effectiveOn));
        }
    }

    private static List<InvoiceLine> upgradeLines(Subscription sub, Plan current, int currentQuantity, Plan target, int targetQuantity,
                                                  String label, LocalDate today, Period period, Currency currency, RoundingPolicy rounding) {
        Period full = sub.fullPeriodOf(period);
        Period remaining = new Period(today, period.end());
        Set<String> codes = new LinkedHashSet<>();
        target.charges().forEach(c -> codes.add(c.code()));
        current.charges().forEach(c -> codes.add(c.code()));
        List<InvoiceLine> lines = new ArrayList<>();
        for (String code : codes) {
            RecurringCharge before = inAdvance(current.charge(code).orElse(null));
            RecurringCharge after = inAdvance(target.charge(code).orElse(null));
            if (after == null) {
                continue; // a charge the new plan drops is not refunded mid-period
            }
            Money newPrice = RecurringBilling.periodPrice(sub, target, after, currency).times(after.units(targetQuantity));
            Money oldPrice = before == null ? Money.zero(currency)
                    : RecurringBilling.periodPrice(sub, current, before, currency).times(before.units(currentQuantity));
            Money amount;
            Fraction share;
            if (after.proration() == ProrationPolicy.BY_DAY) {
                share = Proration.fraction(remaining, full, ProrationPolicy.BY_DAY);
                amount = Proration.prorate(newPrice.minus(oldPrice), share);
            } else {
                share = Fraction.ONE;
                amount = newPrice.amount().compareTo(oldPrice.amount()) == 0 ? Money.zero(currency) : newPrice;
            }
            if (amount.isZero()) {
                continue;
            }
            String description = label + " — " + after.name() + PeriodLabel.suffix(share, full);
            lines.add(new InvoiceLine(InvoiceLine.PRORATION, code, description, remaining, RecurringBilling.quantity(share),
                    newPrice.minus(oldPrice), rounding.apply(amount)));
        }
        return lines;
    }

    private static RecurringCharge inAdvance(Charge c) {
        return c instanceof RecurringCharge r && r.timing() == BillingTiming.IN_ADVANCE ? r : null;
    }
}

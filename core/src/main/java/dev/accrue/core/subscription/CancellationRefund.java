package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.BillingTiming;
import dev.accrue.core.time.Fraction;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.Proration;
import dev.accrue.core.time.ProrationPolicy;
import dev.accrue.core.time.RoundingPolicy;

import java.time.LocalDate;
import java.util.Currency;

/**
 * What an immediate cancellation with {@code refund: prorated} gives back: for each in-advance recurring charge
 * prorated by day, its period price × quantity × unused days / days of the period, the cancellation day counted
 * as unused (service ends at its start) — the mirror of an upgrade's charge. Charges that are never prorated
 * (a package bought for the month) give nothing back. Zero when no paid period is running.
 */
public final class CancellationRefund {
    private CancellationRefund() {
    }

    public record Refund(Money amount, Period unused, Fraction share) {
    }

    public static Refund of(Subscription sub, Plan plan, LocalDate cancelledOn, Currency currency, RoundingPolicy rounding) {
        Money total = Money.zero(currency);
        if (sub.billedThrough() == null || !cancelledOn.isBefore(sub.billedThrough()) || cancelledOn.isBefore(sub.anchor())) {
            return new Refund(total, null, null);
        }
        Period period = sub.periodContaining(cancelledOn);
        Period full = sub.fullPeriodOf(period);
        Period unused = new Period(cancelledOn, period.end());
        Fraction share = Proration.fraction(unused, full, ProrationPolicy.BY_DAY);
        for (var charge : plan.charges()) {
            if (charge instanceof RecurringCharge r && r.timing() == BillingTiming.IN_ADVANCE && r.proration() == ProrationPolicy.BY_DAY) {
                Money price = RecurringBilling.periodPrice(sub, plan, r, currency).times(r.units(sub.quantity()));
                total = total.plus(rounding.apply(Proration.prorate(price, share)));
            }
        }
        return new Refund(total, unused, share);
    }
}

package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.BillingTiming;
import dev.accrue.core.time.Fraction;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.PeriodLabel;
import dev.accrue.core.time.Proration;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * What resuming a paused subscription costs. Billing dates never move: a resume inside a period charges each in-advance
 * recurring charge for the rest of that period, {@code period price × quantity × remaining/total days} (the resume day
 * counted as remaining), rounded once per charge — the mirror of the credit a pause gives back
 * ({@link CancellationRefund}); a charge that is never prorated costs its full price. Only a period whose boundary was
 * already passed (billed while paused, so without these fees) is charged here: a resume on a boundary not yet billed costs
 * nothing here, as that boundary then bills the period as usual.
 */
public final class PauseBilling {
    private PauseBilling() {
    }

    public static List<InvoiceLine> resumeLines(Subscription sub, Plan plan, Currency currency, LocalDate resumedOn, RoundingPolicy rounding) {
        List<InvoiceLine> lines = new ArrayList<>();
        if (resumedOn.isBefore(sub.anchor()) || sub.billedThrough() == null || !resumedOn.isBefore(sub.billedThrough())) {
            return lines;
        }
        Period period = sub.periodContaining(resumedOn);
        Period full = sub.fullPeriodOf(period);
        Period remaining = new Period(resumedOn, period.end());
        for (var charge : plan.charges()) {
            if (!(charge instanceof RecurringCharge r) || r.timing() != BillingTiming.IN_ADVANCE) {
                continue;
            }
            Money price = RecurringBilling.periodPrice(sub, plan, r, currency);
            if (price.isZero()) {
                continue;
            }
            Fraction share = Proration.fraction(remaining, full, r.proration());
            int units = r.units(sub.quantity());
            Money amount = rounding.apply(Proration.prorate(price.times(units), share));
            String description = "Resumed — " + plan.name() + " — " + r.name() + RecurringBilling.seats(units, price) + PeriodLabel.suffix(share, full);
            BigDecimal quantity = BigDecimal.valueOf(share.numerator()).multiply(BigDecimal.valueOf(units))
                    .divide(BigDecimal.valueOf(share.denominator()), InvoiceLine.QUANTITY_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
            lines.add(new InvoiceLine(InvoiceLine.RECURRING, r.code(), description, remaining, quantity, price, amount));
        }
        return lines;
    }
}

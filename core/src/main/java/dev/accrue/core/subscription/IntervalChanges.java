package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.BillingTiming;
import dev.accrue.core.time.Fraction;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.Proration;
import dev.accrue.core.time.ProrationPolicy;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * An interval change that takes effect now (monthly ↔ yearly): the paid period is cut on the change day, and each in-advance
 * recurring charge prorated by day gives back its unused part — period price × quantity × unused days / days of the period,
 * the change day counted as unused, rounded once per charge — as a negative line on the invoice that bills the new
 * interval's first period from that day. It is the rule of a prorated cancellation refund ({@link CancellationRefund}), so a
 * customer never pays twice for a day; charges never prorated (a package bought for the period) give nothing back.
 */
public final class IntervalChanges {
    private IntervalChanges() {
    }

    /** The credit lines for the unused part of the period holding {@code day}; none when no paid period runs on that day. */
    public static List<InvoiceLine> unusedCredit(Subscription sub, Plan paid, LocalDate day, BillingInterval to, Currency currency,
                                                 RoundingPolicy rounding) {
        List<InvoiceLine> lines = new ArrayList<>();
        if (sub.billedThrough() == null || !day.isBefore(sub.billedThrough()) || day.isBefore(sub.anchor())) {
            return lines;
        }
        Period period = sub.periodContaining(day);
        Period unused = new Period(day, period.end());
        Fraction share = Proration.fraction(unused, sub.fullPeriodOf(period), ProrationPolicy.BY_DAY);
        for (var charge : paid.charges()) {
            if (charge instanceof RecurringCharge r && r.timing() == BillingTiming.IN_ADVANCE && r.proration() == ProrationPolicy.BY_DAY) {
                Money price = RecurringBilling.periodPrice(sub, paid, r, currency);
                int units = r.units(sub.quantity());
                Money credit = rounding.apply(Proration.prorate(price.times(units), share));
                if (credit.isZero()) {
                    continue;
                }
                String description = "Unused time on " + paid.name() + " — " + r.name() + RecurringBilling.seats(units, price) + " ("
                        + share.numerator() + "/" + share.denominator() + " days), moving from " + sub.interval().wire() + " to "
                        + to.wire() + " billing";
                lines.add(new InvoiceLine(InvoiceLine.PRORATION, r.code(), description, unused,
                        RecurringBilling.quantity(share).multiply(BigDecimal.valueOf(units)).negate(), price, credit.negate()));
            }
        }
        return lines;
    }
}

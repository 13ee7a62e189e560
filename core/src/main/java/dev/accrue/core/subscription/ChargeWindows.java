package dev.accrue.core.subscription;

import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.BillingSchedule;
import dev.accrue.core.time.Period;

import java.time.LocalDate;

/**
 * The one rule for which usage window a day belongs to. Usage is invoiced per window: the billing period for
 * charges invoiced with the subscription, or the charge's own {@code invoice_cadence} (weekly SMS, cut at
 * month starts when asked). Days before the schedule's anchor form the trial window {@code [start, anchor)};
 * a window that the subscription's end cuts stops at the end day. Invoices, adjustments, usage views,
 * authorization and prepaid drawdown all ask here, so they can never disagree about which window a day is in.
 */
public final class ChargeWindows {
    private ChargeWindows() {
    }

    /** The trial window {@code [start, anchor)}, or null when the subscription started without one. */
    public static Period trial(Subscription sub) {
        return sub.startDate().isBefore(sub.anchor()) ? new Period(sub.startDate(), sub.anchor()) : null;
    }

    /** The window of {@code charge} holding {@code day}. */
    public static Period containing(Subscription sub, MeteredCharge charge, LocalDate day) {
        return containing(sub, charge.invoiceCadence(), charge.cutAtMonthStart(), day);
    }

    /** The window of a {@code cadence} (BILLING_PERIOD, or a charge's own) holding {@code day}. */
    public static Period containing(Subscription sub, ResetCadence cadence, boolean cutAtMonthStart, LocalDate day) {
        Period window;
        if (day.isBefore(sub.anchor())) {
            window = new Period(sub.startDate().isBefore(day) ? sub.startDate() : day, sub.anchor());
        } else if (cadence == ResetCadence.BILLING_PERIOD) {
            window = sub.periodContaining(day);
        } else {
            window = ownSchedule(sub, cadence, cutAtMonthStart).periodContaining(day);
        }
        return cutAtEnd(sub, window);
    }

    /** The schedule of usage invoiced on its own cadence, anchored where the subscription's billing starts. */
    public static BillingSchedule ownSchedule(Subscription sub, ResetCadence cadence, boolean cutAtMonthStart) {
        BillingInterval interval = switch (cadence) {
            case WEEK -> BillingInterval.WEEK;
            case MONTH -> BillingInterval.MONTH;
            case YEAR -> BillingInterval.YEAR;
            case BILLING_PERIOD -> throw new IllegalArgumentException("the billing period is not a cadence of its own");
        };
        return new BillingSchedule(sub.anchor(), interval, sub.alignment(), cutAtMonthStart, sub.billingCycleDay());
    }

    /** A window the subscription's end falls inside stops at the end day: nothing is used after it. */
    public static Period cutAtEnd(Subscription sub, Period window) {
        LocalDate end = sub.endedOn();
        return end != null && window.start().isBefore(end) && end.isBefore(window.end()) ? new Period(window.start(), end) : window;
    }
}

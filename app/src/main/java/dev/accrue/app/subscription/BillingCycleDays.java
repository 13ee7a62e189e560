package dev.accrue.app.subscription;

import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.time.BillingInterval;

/**
 * What a billing cycle day may be: a day of the month, 1–31 (clamped to the month end when the month is shorter), for
 * subscriptions billed on months (month, quarter, half year, year). A weekly subscription has no day of the month to
 * bill on and is refused rather than given a day that would be ignored.
 */
final class BillingCycleDays {
    private BillingCycleDays() {
    }

    /**
     * The day asked when subscribing, else the customer's default when the request names no alignment and the interval has
     * months, else null (the alignment decides). A day and an alignment are two answers to one question: both is refused.
     */
    static Integer forNewSubscription(Integer requested, String alignment, Customer customer, BillingInterval interval) {
        if (requested == null) {
            return alignment == null && !interval.isWeekly() ? customer.billingCycleDay() : null;
        }
        if (alignment != null) {
            throw AccrueException.invalid("alignment", "Give either alignment or billing_cycle_day, not both: a billing cycle day "
                    + "sets where the periods start");
        }
        require(requested, interval);
        return requested;
    }

    static void require(Integer day, BillingInterval interval) {
        if (day == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "billing_cycle_day", "billing_cycle_day is required");
        }
        if (day < 1 || day > 31) {
            throw AccrueException.invalid("billing_cycle_day", "billing_cycle_day must be a day of the month, 1-31, got " + day
                    + " (a day past a month's end bills on its last day)");
        }
        if (interval.isWeekly()) {
            throw new AccrueException(ErrorCode.BILLING_CYCLE_DAY_ON_WEEKLY_INTERVAL, "billing_cycle_day",
                    "A weekly subscription is billed every 7 days from its start; a day of the month does not apply to it");
        }
    }
}

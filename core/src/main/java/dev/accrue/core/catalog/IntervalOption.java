package dev.accrue.core.catalog;

import dev.accrue.core.time.BillingInterval;

import java.math.BigDecimal;

/**
 * A billing interval a plan is sold on. Recurring charges priced per month cost
 * monthly price × months × (1 − discountPercent/100) per period of this interval, unless the charge gives an
 * explicit price for the interval. Weekly intervals always need explicit prices.
 */
public record IntervalOption(BillingInterval interval, BigDecimal discountPercent) {
    public IntervalOption {
        discountPercent = discountPercent == null ? BigDecimal.ZERO : discountPercent;
    }
}

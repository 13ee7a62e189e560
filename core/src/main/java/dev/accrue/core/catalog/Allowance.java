package dev.accrue.core.catalog;

import java.math.BigDecimal;

/**
 * Included usage: {@code quantity} units (in the metric's unit) per {@code reset} window. Allowances never
 * roll over. A monthly reset on a yearly plan gives the quantity each month; BILLING_PERIOD holds for the
 * whole period (a quota for the year).
 */
public record Allowance(BigDecimal quantity, ResetCadence reset) {
    public Allowance {
        reset = reset == null ? ResetCadence.BILLING_PERIOD : reset;
    }
}

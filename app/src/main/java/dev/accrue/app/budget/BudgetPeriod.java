package dev.accrue.app.budget;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a budget's period is: the billing period of the customer's running subscriptions (the default, what budgets
 * followed first), or the calendar month in the customer's time zone ("monthly budgets" whatever the subscriptions'
 * anchors).
 */
public enum BudgetPeriod {
    BILLING_PERIOD("billing_period"),
    CALENDAR_MONTH("calendar_month");

    private final String wire;

    BudgetPeriod(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<BudgetPeriod> ofWire(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst();
    }
}

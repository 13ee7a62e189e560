package dev.accrue.app.subscription;

import java.time.LocalDate;

/**
 * A request to subscribe a customer. Nulls take defaults: {@code interval} the plan's first, {@code startDate}
 * the customer's today, {@code trialDays} the plan's trial, {@code alignment} the customer's preference or
 * the plan's default, {@code quantity} 1. {@code billingCycleDay} (1–31) puts the period boundaries on that day of the
 * month instead of the alignment's.
 */
public record CreateSubscription(String customerId, String plan, String interval, LocalDate startDate, Integer trialDays,
                                 String alignment, Integer quantity, Integer billingCycleDay) {

    public CreateSubscription(String customerId, String plan, String interval, LocalDate startDate, Integer trialDays,
                              String alignment, Integer quantity) {
        this(customerId, plan, interval, startDate, trialDays, alignment, quantity, null);
    }
}

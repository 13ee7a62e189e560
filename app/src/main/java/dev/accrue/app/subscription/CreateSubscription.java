package dev.accrue.app.subscription;

import java.time.LocalDate;

/**
 * A request to subscribe a customer. Nulls take defaults: {@code interval} the plan's first, {@code startDate}
 * the customer's today, {@code trialDays} the plan's trial, {@code alignment} the customer's preference or
 * the plan's default, {@code quantity} 1.
 */
public record CreateSubscription(String customerId, String plan, String interval, LocalDate startDate, Integer trialDays,
                                 String alignment, Integer quantity) {
}

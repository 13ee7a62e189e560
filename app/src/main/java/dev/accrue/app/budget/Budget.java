package dev.accrue.app.budget;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A customer's budget for each of its periods — the billing period (a month on a monthly plan) or the calendar month,
 * see {@link BudgetPeriod}: overall ({@code dimension} null) or for
 * one value of a usage dimension ({@code team = support}), in the customer's currency, with the percentages of it
 * at which an alert fires.
 */
public record Budget(String id, String customerId, String dimension, String dimensionValue, Money amount, List<BigDecimal> alertPercents,
                     Instant createdAt, BudgetPeriod period) {
    public Budget {
        alertPercents = List.copyOf(alertPercents);
    }
}

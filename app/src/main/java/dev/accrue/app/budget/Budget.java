package dev.accrue.app.budget;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A customer's budget for one billing period (a month on a monthly plan): overall ({@code dimension} null) or for
 * one value of a usage dimension ({@code team = support}), in the customer's currency, with the percentages of it
 * at which an alert fires.
 */
public record Budget(String id, String customerId, String dimension, String dimensionValue, Money amount, List<BigDecimal> alertPercents,
                     Instant createdAt) {
    public Budget {
        alertPercents = List.copyOf(alertPercents);
    }
}

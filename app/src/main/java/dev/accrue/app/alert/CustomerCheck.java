package dev.accrue.app.alert;

import java.util.Collection;

/**
 * A check the alert evaluator runs after each pass for the customers whose usage moved (budgets). It reads what it
 * needs for all of them at once and runs its own transactions: one customer's failure does not stop the others'.
 */
@FunctionalInterface
public interface CustomerCheck {
    void check(String tenantId, Collection<String> customerIds);
}

package dev.accrue.app.alert;

import java.util.Collection;
import java.util.Set;

/**
 * A check the alert evaluator runs after each pass for the customers whose usage moved (budgets). It reads what it
 * needs for all of them at once and runs its own transactions: one customer's failure does not stop the others'.
 * It answers the customers it watches (those with a budget): the evaluator then checks them on every move of their
 * usage, since what they watch (money) is not followed by the usage gate.
 */
@FunctionalInterface
public interface CustomerCheck {
    Set<String> check(String tenantId, Collection<String> customerIds);
}

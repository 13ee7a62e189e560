package dev.accrue.app.alert;

/** A check the alert evaluator runs for each customer whose usage moved (budgets), inside the evaluation's transaction. */
@FunctionalInterface
public interface CustomerCheck {
    void check(String tenantId, String customerId);
}

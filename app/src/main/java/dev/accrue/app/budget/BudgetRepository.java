package dev.accrue.app.budget;

import java.util.List;

public interface BudgetRepository {
    /** False when the customer already has a budget for this dimension value (or an overall one). */
    boolean insert(String tenantId, Budget budget);

    List<Budget> forCustomer(String tenantId, String customerId);

    /** The budgets of several customers in one query (the alert evaluator checks every customer whose usage moved). */
    List<Budget> forCustomers(String tenantId, java.util.Collection<String> customerIds);

    boolean delete(String tenantId, String customerId, String budgetId);
}

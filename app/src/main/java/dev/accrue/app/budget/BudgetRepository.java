package dev.accrue.app.budget;

import java.util.List;

public interface BudgetRepository {
    /** False when the customer already has a budget for this dimension value (or an overall one). */
    boolean insert(String tenantId, Budget budget);

    List<Budget> forCustomer(String tenantId, String customerId);

    boolean delete(String tenantId, String customerId, String budgetId);
}

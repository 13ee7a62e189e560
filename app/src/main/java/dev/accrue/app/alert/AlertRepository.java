package dev.accrue.app.alert;

import java.util.Collection;
import java.util.List;

public interface AlertRepository {
    /** Stores a rule; false when the customer already has one for this user (or itself) and metric. */
    boolean insertRule(String tenantId, UsageAlertRule rule);

    List<UsageAlertRule> rules(String tenantId, String customerId);

    /** The rules of several customers at once (the evaluator reads them per pass). */
    List<UsageAlertRule> rules(String tenantId, Collection<String> customerIds);

    boolean deleteRule(String tenantId, String customerId, String ruleId);

    /** Records an alert unless one with the same key fired before; true when this call recorded it. */
    boolean fire(String tenantId, FiredAlert alert);

    /** A customer's fired alerts, newest first. */
    List<FiredAlert> fired(String tenantId, String customerId, int limit);
}

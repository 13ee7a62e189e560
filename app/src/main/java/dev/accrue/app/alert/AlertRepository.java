package dev.accrue.app.alert;

import java.util.Collection;
import java.util.List;
import java.util.Set;

public interface AlertRepository {
    /** Stores a rule; false when the customer already has one for this user (or itself) and metric. */
    boolean insertRule(String tenantId, UsageAlertRule rule);

    List<UsageAlertRule> rules(String tenantId, String customerId);

    /** The rules of several customers at once (the evaluator reads them per pass). */
    List<UsageAlertRule> rules(String tenantId, Collection<String> customerIds);

    boolean deleteRule(String tenantId, String customerId, String ruleId);

    /** Records an alert unless one with the same key fired before; true when this call recorded it. */
    boolean fire(String tenantId, FiredAlert alert);

    /** {@link #fire} of several alerts in one statement; returns the ids of those this call recorded. */
    Set<String> fireAll(String tenantId, List<FiredAlert> alerts);

    /**
     * Which of the given subjects' alerts already fired in the given windows (one query for a whole evaluation pass):
     * the markers of fired_alerts whose (subject, window start) is one of {@code windows}.
     */
    default Set<FiredAlert.Marker> firedIn(String tenantId, Collection<FiredAlert.Window> windows) {
        return firedIn(tenantId, windows, List.of(FiredAlert.USAGE_THRESHOLD, FiredAlert.OVERAGE_PROJECTED, FiredAlert.BUDGET_THRESHOLD));
    }

    /**
     * {@link #firedIn} of the given kinds only: the unique key leads with the kind, so each kind is one index probe per
     * window — the usage evaluator's windows (subscription/metric subjects) never hold a budget's alert.
     */
    Set<FiredAlert.Marker> firedIn(String tenantId, Collection<FiredAlert.Window> windows, List<String> kinds);

    /**
     * The row versions of the given subscriptions and of their customers (PostgreSQL's {@code xmin}, new with every
     * write of a row), one query for a whole evaluation pass: the evaluator parses a subscription or customer row only
     * when its version differs from the one it keeps. Subscriptions missing, or without their customer, are left out.
     */
    List<RowVersions> rowVersions(String tenantId, Collection<String> subscriptionIds);

    /** A subscription's row version and its customer's. */
    record RowVersions(String subscriptionId, long subscriptionVersion, String customerId, long customerVersion) {
    }

    /** A customer's fired alerts, newest first. */
    List<FiredAlert> fired(String tenantId, String customerId, int limit);
}

package dev.accrue.app.subscription;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.subscription.Subscription;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface SubscriptionRepository {
    void insert(String tenantId, Subscription sub, Instant at);

    Optional<Subscription> find(String tenantId, String id);

    Optional<Subscription> findForUpdate(String tenantId, String id);

    /** Several subscriptions by id in one query (those that exist; the alert evaluator reads every one a pass touches). */
    List<Subscription> findAll(String tenantId, java.util.Collection<String> ids);

    /** Writes the new state if the stored version is {@code sub.version() - 1}; false when someone else won. */
    void update(String tenantId, Subscription sub, Instant at);

    Page<Subscription> list(String tenantId, String customerId, PageRequest page);

    /** All subscriptions of a customer, newest first. */
    List<Subscription> forCustomer(String tenantId, String customerId);

    /** All subscriptions of a customer, locked (the authorization path serialises on them). */
    List<Subscription> forCustomerForUpdate(String tenantId, String customerId);

    /** All subscriptions of several customers in one query, newest first. */
    List<Subscription> forCustomers(String tenantId, java.util.Collection<String> customerIds);

    /** When the next period of usage invoiced on its own cadence closes (null: no such usage). */
    void setNextUsageDate(String tenantId, String subscriptionId, java.time.LocalDate date);

    /** Due subscriptions of real-time customers, locked, skipping rows another node holds. */
    List<DueSubscription> claimDue(Instant now, int limit, java.util.Set<String> excluding);

    /** How many subscriptions {@link #claimDue} would find due per tenant, without locking any (progress, backlog). */
    java.util.Map<String, Integer> countDue(Instant now, java.util.Set<String> excluding);

    /** Subscriptions of customers on a test clock. */
    List<DueSubscription> onTestClock(String tenantId, String testClockId);

    record DueSubscription(String tenantId, String subscriptionId) {
    }

    /**
     * Marks the subscription changed (version + 1) when something attached to it changes what it may use —
     * an add-on bought, cancelled or renewed for a month — so caches keyed on its row (authorization) refresh.
     */
    void touch(String tenantId, String id, java.time.Instant at);

    /** Records that an ended subscription's final usage document was issued (or that it owed none). */
    void markUsageClosed(String tenantId, String id);

    boolean usageClosed(String tenantId, String id);
}

package dev.accrue.app.subscription;

import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerService;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SubscriptionStatus;

import java.time.LocalDate;
import java.util.List;

/** A customer's subscriptions that have not ended on its today (pending start, trialing, active, suspended …). */
public final class LiveSubscriptionsOfCustomer implements CustomerService.LiveSubscriptions {
    private final SubscriptionRepository subscriptions;
    private final CustomerTime time;

    public LiveSubscriptionsOfCustomer(SubscriptionRepository subscriptions, CustomerTime time) {
        this.subscriptions = subscriptions;
        this.time = time;
    }

    @Override
    public List<String> of(String tenantId, Customer customer) {
        LocalDate today = time.today(tenantId, customer);
        return subscriptions.forCustomer(tenantId, customer.id()).stream()
                .filter(s -> s.statusOn(today) != SubscriptionStatus.ENDED)
                .map(Subscription::id)
                .toList();
    }
}

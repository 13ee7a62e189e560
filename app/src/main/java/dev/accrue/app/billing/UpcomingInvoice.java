package dev.accrue.app.billing;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.Subscription;

import java.time.LocalDate;
import java.util.List;

/**
 * What a subscription's next invoice will hold if nothing changes: the billing run itself, run as of the next
 * billing date inside a transaction that is rolled back — the same pending changes, proration parked for the
 * next invoice, usage so far of the closing period, allowances, add-ons, customer credit and wallet payment,
 * with no pricing rule of its own and nothing written.
 */
public final class UpcomingInvoice {
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final BillingService billing;
    private final CustomerTime time;

    public UpcomingInvoice(Transactions tx, SubscriptionRepository subscriptions, CustomerRepository customers, BillingService billing, CustomerTime time) {
        this.tx = tx;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.billing = billing;
        this.time = time;
    }

    /** The invoice the next billing date would issue; {@code lines} empty when it would issue none. */
    public Invoice preview(Caller caller, String subscriptionId) {
        return tx.rolledBack(() -> {
            Subscription sub = subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
                throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "Subscription " + subscriptionId + " ended on " + sub.endedOn()
                        + "; it has no upcoming invoice");
            }
            LocalDate next = sub.nextBillDate();
            String key = sub.id() + ":" + next;
            List<Invoice> issued = billing.billThrough(caller.tenantId(), subscriptionId, next);
            return issued.stream().filter(i -> i.billingKey().equals(key)).findFirst()
                    .orElseGet(() -> new Invoice(null, customer.id(), sub.id(), key, null, null, Money.zero(customer.currency()),
                            Money.zero(customer.currency()), next, next, null, null, null, null, List.of()));
        });
    }
}

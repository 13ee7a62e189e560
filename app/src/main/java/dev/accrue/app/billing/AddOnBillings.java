package dev.accrue.app.billing;

import dev.accrue.core.addon.GrantedAllowance;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything sold on top of plans (packages and bundles, rented numbers), as one {@link AddOnBilling}. The add-on
 * services need billing to issue their own documents, and billing needs them to price windows, so they join this
 * registry once built (at wiring, before the node serves anything).
 */
public final class AddOnBillings implements AddOnBilling {
    private final List<AddOnBilling> members = new CopyOnWriteArrayList<>();

    public void register(AddOnBilling member) {
        members.add(member);
    }

    @Override
    public List<GrantedAllowance> grants(String tenantId, Subscription sub, Period window) {
        return members.stream().flatMap(e -> e.grants(tenantId, sub, window).stream()).toList();
    }

    @Override
    public List<Charge> charges(String tenantId, Subscription sub, Period window) {
        return members.stream().flatMap(e -> e.charges(tenantId, sub, window).stream()).toList();
    }

    @Override
    public boolean covers(String tenantId, Subscription sub, String metric, LocalDate day) {
        return members.stream().anyMatch(e -> e.covers(tenantId, sub, metric, day));
    }

    @Override
    public List<InvoiceLine> linesDueOn(String tenantId, Subscription sub, Customer customer, LocalDate boundary) {
        return members.stream().flatMap(e -> e.linesDueOn(tenantId, sub, customer, boundary).stream()).toList();
    }

    @Override
    public void billRemaining(String tenantId, Subscription sub, Customer customer, LocalDate today) {
        members.forEach(e -> e.billRemaining(tenantId, sub, customer, today));
    }
}

package dev.accrue.app.billing;

import dev.accrue.core.addon.GrantedAllowance;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;

import java.time.LocalDate;
import java.util.List;

/** What add-ons bring to a subscription's billing: allowance grants per usage window, and their own charges. */
public interface AddOnBilling {
    /** Allowances add-ons grant in {@code window}. */
    List<GrantedAllowance> grants(String tenantId, Subscription sub, Period window);

    /** The charges of the add-ons in force during some of {@code window} (the SMS add-on's metered texts), billed like a plan's. */
    default List<Charge> charges(String tenantId, Subscription sub, Period window) {
        return List.of();
    }

    /** Whether an add-on in force on {@code day} charges or grants usage of {@code metric}. */
    default boolean covers(String tenantId, Subscription sub, String metric, LocalDate day) {
        return false;
    }

    /** Lines of recurring add-ons due on {@code boundary}, to go on the subscription's invoice of that day (marked billed). */
    List<InvoiceLine> linesDueOn(String tenantId, Subscription sub, Customer customer, LocalDate boundary);

    /** Invoices the add-on months due by {@code today} that no subscription invoice carried. */
    void billRemaining(String tenantId, Subscription sub, Customer customer, LocalDate today);

}

package dev.accrue.app.customer;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tax.VatRegistration;
import dev.accrue.app.tax.VatRegistry;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.BillingAddress;
import dev.accrue.core.customer.ChildInvoicing;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.core.customer.CustomerRules;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.tax.TaxStatus;
import dev.accrue.core.tax.VatIds;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/** Billing accounts: create, read, update (as a change to the draft form), list/search, delete when nothing was billed. */
public final class CustomerService {
    private final VatRegistration vatRegistration;
    private final Transactions tx;
    private final CustomerRepository customers;
    private final AuditLog audit;
    private final Clock clock;
    private final TestClockCheck testClocks;
    private final LiveSubscriptions liveSubscriptions;
    private final AccountHierarchy hierarchy;

    /** Whether a customer may be attached to a test clock: it exists in the caller's tenant, a sandbox. */
    public interface TestClockCheck {
        void requireUsable(Caller caller, String testClockId);
    }

    /** The ids of a customer's subscriptions that have not ended (their billing dates are fixed in its time zone). */
    public interface LiveSubscriptions {
        List<String> of(String tenantId, Customer customer);
    }

    public CustomerService(Transactions tx, CustomerRepository customers, AuditLog audit, Clock clock, TestClockCheck testClocks,
                           LiveSubscriptions liveSubscriptions, VatRegistration vatRegistration) {
        this.vatRegistration = vatRegistration;
        this.tx = tx;
        this.customers = customers;
        this.audit = audit;
        this.clock = clock;
        this.testClocks = testClocks;
        this.liveSubscriptions = liveSubscriptions;
        this.hierarchy = new AccountHierarchy(customers);
    }

    public Customer create(Caller caller, CustomerDraft draft) {
        caller.requireWrite();
        Instant now = clock.instant();
        Customer customer = validate(Ids.next("cus"), draft, now, now, 1);
        // the registry is asked before the transaction: a slow VIES never holds a connection
        VatRegistry.Verdict vat = vatRegistration.require(customer.taxId(), null);
        return tx.inTransaction(() -> {
            if (customer.testClockId() != null) {
                testClocks.requireUsable(caller, customer.testClockId());
            }
            requireExternalIdFree(caller.tenantId(), customer.externalId(), null);
            hierarchy.check(caller.tenantId(), null, customer);
            customers.insert(caller.tenantId(), customer);
            audit.record(caller, "customer", customer.id(), "customer.created", null, customer);
            vatRegistration.record(caller, customer.id(), customer.taxId(), vat);
            return customer;
        });
    }

    public Customer get(Caller caller, String id) {
        return tx.inTransaction(() -> customers.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("customer", id));
    }

    /**
     * Applies {@code change} to the customer's current fields and validates the result as a whole, so an
     * update can never leave an account that a create would have refused.
     */
    public Customer update(Caller caller, String id, UnaryOperator<CustomerDraft> change) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Customer before = customers.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("customer", id));
            CustomerDraft draft = change.apply(toDraft(before));
            if (!Objects.equals(draft.testClockId(), before.testClockId())) {
                throw AccrueException.invalid("test_clock_id", "test_clock_id is set when a customer is created and cannot change");
            }
            if (!Objects.equals(draft.currency(), before.currency().getCurrencyCode()) && customers.hasBillingHistory(caller.tenantId(), id)) {
                throw new AccrueException(ErrorCode.CUSTOMER_HAS_BILLING_HISTORY, "currency",
                        "The currency of a customer with billing history cannot change");
            }
            Customer after = validate(id, draft, before.createdAt(), clock.instant(), before.version() + 1);
            if (sameFields(before, after)) {
                return before;
            }
            if (!after.timeZone().equals(before.timeZone())) {
                requireNoLiveSubscriptions(caller.tenantId(), before);
            }
            requireExternalIdFree(caller.tenantId(), after.externalId(), id);
            hierarchy.check(caller.tenantId(), before, after);
            VatRegistry.Verdict vat = vatRegistration.require(after.taxId(), before.taxId());
            customers.update(caller.tenantId(), after);
            audit.record(caller, "customer", id, "customer.updated", before, after);
            vatRegistration.record(caller, id, after.taxId(), vat);
            return after;
        });
    }

    /**
     * Billing dates are local midnights in the customer's time zone; moving the zone under a running period
     * would silently shift its end, its invoice date and its proration. So the zone is fixed while any
     * subscription is live: end them (or let them end), change the zone, subscribe again.
     */
    private void requireNoLiveSubscriptions(String tenantId, Customer customer) {
        List<String> live = liveSubscriptions.of(tenantId, customer);
        if (!live.isEmpty()) {
            throw new AccrueException(ErrorCode.SUBSCRIPTIONS_LIVE, "time_zone",
                    "The time zone of customer " + customer.id() + " fixes the billing dates of its live subscriptions " + String.join(", ", live)
                            + "; it can change once they have ended",
                    Map.of("live_subscription_ids", live));
        }
    }

    public Page<Customer> list(Caller caller, CustomerQuery query, PageRequest page) {
        return tx.inTransaction(() -> customers.list(caller.tenantId(), query, page));
    }

    public void delete(Caller caller, String id) {
        caller.requireWrite();
        tx.run(() -> {
            Customer before = customers.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("customer", id));
            if (customers.hasBillingHistory(caller.tenantId(), id)) {
                throw new AccrueException(ErrorCode.CUSTOMER_HAS_BILLING_HISTORY,
                        "Customer " + id + " has billing history (subscriptions, invoices, usage or wallet entries) and cannot be deleted");
            }
            hierarchy.requireNoChildren(caller.tenantId(), id);
            customers.delete(caller.tenantId(), id);
            audit.record(caller, "customer", id, "customer.deleted", before, null);
        });
    }

    public static CustomerDraft toDraft(Customer c) {
        var a = c.billingAddress();
        return new CustomerDraft(c.externalId(), c.legalName(), c.billingEmails(),
                new CustomerDraft.AddressDraft(a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country()),
                c.currency().getCurrencyCode(), c.timeZone().getId(), c.taxId(), c.taxStatus().wire(),
                c.alignment() == null ? null : c.alignment().wire(),
                new CustomerDraft.TermsDraft(c.paymentTerms().collectionMethod().wire(), c.paymentTerms().netDays()),
                c.accountType().wire(), c.metadata(), c.testClockId(), c.billingCycleDay(), c.parentId(),
                c.invoicing() == null ? null : c.invoicing().wire());
    }

    private static Customer validate(String id, CustomerDraft d, Instant createdAt, Instant updatedAt, int version) {
        BillingAddress address = CustomerRules.billingAddress(d.billingAddress());
        return new Customer(id,
                CustomerRules.externalId(d.externalId()),
                CustomerRules.legalName(d.legalName()),
                CustomerRules.billingEmails(d.billingEmails()),
                address,
                CustomerRules.currency(d.currency()),
                CustomerRules.timeZone(d.timeZone()),
                VatIds.check(CustomerRules.taxId(d.taxId()), address.country()),
                TaxStatus.parse(d.taxStatus()),
                CustomerRules.alignment(d.alignment()),
                CustomerRules.paymentTerms(d.paymentTerms()),
                CustomerRules.accountType(d.accountType()),
                CustomerRules.metadata(d.metadata()),
                d.testClockId(),
                createdAt, updatedAt, version,
                CustomerRules.billingCycleDay(d.billingCycleDay()),
                blankToNull(d.parentId()),
                ChildInvoicing.of(d.invoicing(), blankToNull(d.parentId())));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private void requireExternalIdFree(String tenantId, String externalId, String selfId) {
        if (externalId == null) {
            return;
        }
        customers.findByExternalId(tenantId, externalId)
                .filter(other -> !other.id().equals(selfId))
                .ifPresent(other -> {
                    throw new AccrueException(ErrorCode.ALREADY_EXISTS, "external_id",
                            "external_id '" + externalId + "' is already used by customer " + other.id());
                });
    }

    private static boolean sameFields(Customer a, Customer b) {
        return toDraft(a).equals(toDraft(b));
    }
}

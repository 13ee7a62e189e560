package dev.accrue.app.customer;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.customer.Customer;

import java.util.Optional;

public interface CustomerRepository {
    void insert(String tenantId, Customer customer);

    Optional<Customer> find(String tenantId, String id);

    /** Locks the row for the rest of the transaction, so concurrent updates apply one after the other. */
    Optional<Customer> findForUpdate(String tenantId, String id);

    Optional<Customer> findByExternalId(String tenantId, String externalId);

    /** The tenant's customers among {@code ids}, in one query (ids of other tenants are simply absent). */
    java.util.List<Customer> findAll(String tenantId, java.util.Collection<String> ids);

    void update(String tenantId, Customer customer);

    Page<Customer> list(String tenantId, CustomerQuery query, PageRequest page);

    /** True when anything billed (subscriptions, invoices, usage, wallet entries) references the customer. */
    boolean hasBillingHistory(String tenantId, String id);

    void delete(String tenantId, String id);

    /** Serializes changes of parents within a tenant until the transaction ends (see {@link AccountHierarchy}). */
    void lockHierarchy(String tenantId);

    /** {@code id} and its parents, nearest first, up to the top of its hierarchy. */
    java.util.List<String> ancestors(String tenantId, String id);

    /** The ids of the customers whose parent is {@code id}, oldest first. */
    java.util.List<String> childIds(String tenantId, String id);
}

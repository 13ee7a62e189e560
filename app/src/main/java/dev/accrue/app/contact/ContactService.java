package dev.accrue.app.contact;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.contact.Contact;
import dev.accrue.core.contact.ContactRules;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeping a customer's contact count, the quantity contact-priced plans bill at renewal. Two ways in:
 * syncing the contact records (batch upsert by the tenant's contact id, delete), from which the qualifying
 * count is computed, or pushing the count directly. The last write wins: a push sets the count until the next
 * sync, which recounts the records. Every write appends the new count, stamped with the customer's time (its
 * test clock in a sandbox), to an append-only history, so a renewal reads the count as it was at its start.
 * Writes lock the customer row so concurrent syncs of one customer serialize and the count appended is exact.
 */
public final class ContactService {
    public static final String SOURCE_CONTACTS = "contacts";
    public static final String SOURCE_PUSHED = "pushed";
    private final Transactions tx;
    private final ContactRepository contacts;
    private final CustomerRepository customers;
    private final CustomerTime time;
    private final AuditLog audit;

    public ContactService(Transactions tx, ContactRepository contacts, CustomerRepository customers, CustomerTime time, AuditLog audit) {
        this.tx = tx;
        this.contacts = contacts;
        this.customers = customers;
        this.time = time;
        this.audit = audit;
    }

    /** Upserts and deletes contacts in one transaction and appends the recounted total. */
    public ContactCount sync(Caller caller, String customerId, List<Contact> upsert, List<String> delete) {
        caller.requireWrite();
        List<Contact> up = upsert == null ? List.of() : upsert;
        List<String> del = delete == null ? List.of() : delete;
        ContactRules.checkSync(up, del);
        return tx.inTransaction(() -> {
            Customer customer = customers.findForUpdate(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            ContactCount before = current(caller.tenantId(), customer);
            Instant now = time.now(caller.tenantId(), customer);
            int written = up.isEmpty() ? 0 : contacts.upsert(caller.tenantId(), customerId, up, now);
            int removed = del.isEmpty() ? 0 : contacts.delete(caller.tenantId(), customerId, del);
            long count = contacts.qualifyingCount(caller.tenantId(), customerId);
            contacts.appendCount(caller.tenantId(), customerId, count, SOURCE_CONTACTS, now);
            audit.record(caller, "customer", customerId, "contacts.synced", Map.of("count", before.count(), "source", before.source()),
                    Map.of("count", count, "source", SOURCE_CONTACTS, "upserted", written, "deleted", removed));
            return new ContactCount(customerId, count, SOURCE_CONTACTS, now, written, removed);
        });
    }

    /** Sets the count directly (the tenant counts qualifying contacts itself). */
    public ContactCount push(Caller caller, String customerId, java.math.BigDecimal count) {
        caller.requireWrite();
        long n = ContactRules.checkCount(count);
        return tx.inTransaction(() -> {
            Customer customer = customers.findForUpdate(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            ContactCount before = current(caller.tenantId(), customer);
            Instant now = time.now(caller.tenantId(), customer);
            contacts.appendCount(caller.tenantId(), customerId, n, SOURCE_PUSHED, now);
            audit.record(caller, "customer", customerId, "contacts.count_pushed", Map.of("count", before.count(), "source", before.source()),
                    Map.of("count", n, "source", SOURCE_PUSHED));
            return new ContactCount(customerId, n, SOURCE_PUSHED, now, 0, 0);
        });
    }

    public ContactCount get(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            Customer customer = customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            return current(caller.tenantId(), customer);
        });
    }

    /** The count as of {@code at}: the latest entry written at or before it, 0 when none. */
    public long countAt(String tenantId, String customerId, Instant at) {
        return contacts.countAt(tenantId, customerId, at).map(ContactRepository.CountEntry::count).orElse(0L);
    }

    private ContactCount current(String tenantId, Customer customer) {
        return contacts.latest(tenantId, customer.id())
                .map(e -> new ContactCount(customer.id(), e.count(), e.source(), e.at(), 0, 0))
                .orElse(new ContactCount(customer.id(), 0, SOURCE_CONTACTS, null, 0, 0));
    }
}

package dev.accrue.adapters.http.portal;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.rental.PhoneNumber;
import dev.accrue.app.wallet.Receipt;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.subscription.Subscription;

import java.util.List;

/**
 * What one portal session may see: one customer (and, for invoices, the accounts it pays for). Every id taken from a URL
 * or a form is resolved here and must belong to that customer; another customer's id is answered exactly like an unknown
 * one (404).
 */
public final class PortalScope {
    private final PortalUseCases uc;
    private final Caller caller;
    private final Customer customer;
    private List<Customer> children;

    PortalScope(PortalUseCases uc, Caller caller, Customer customer) {
        this.uc = uc;
        this.caller = caller;
        this.customer = customer;
    }

    public Caller caller() {
        return caller;
    }

    /**
     * The caller for marking the signed-in user's own notifications read: that changes only their read state, never
     * the customer's billing, so members may do it too. Used for nothing else — every other change takes {@link #caller()}.
     */
    public Caller readStateCaller() {
        return new Caller(caller.tenantId(), caller.actor(), Role.ADMIN);
    }

    public Customer customer() {
        return customer;
    }

    public List<Subscription> subscriptions() {
        return uc.subscriptions().list(caller, customer.id(), PageRequest.first(PageRequest.MAX_LIMIT)).items();
    }

    public Subscription subscription(String id) {
        Subscription sub = uc.subscriptions().get(caller, id);
        return mine(sub.customerId(), sub, "subscription", id);
    }

    /**
     * An invoice of this customer, or of an account it pays for (account hierarchies: a parent sees its children's
     * invoices); a child never sees its parent's (the consolidated invoices among them) or its siblings'.
     */
    public Invoice invoice(String id) {
        Invoice invoice = uc.invoices().get(caller, id);
        if (!customer.id().equals(invoice.customerId()) && children().stream().anyMatch(c -> c.id().equals(invoice.customerId()))) {
            return invoice;
        }
        return mine(invoice.customerId(), invoice, "invoice", id);
    }

    /** The accounts this customer pays for (its children in an account hierarchy), read once per request. */
    public List<Customer> children() {
        if (children == null) {
            children = uc.customers().list(caller, new CustomerQuery(null, null, null, customer.id()), PageRequest.first(PageRequest.MAX_LIMIT)).items();
        }
        return children;
    }

    public Receipt receipt(String id) {
        Receipt receipt = uc.wallets().receipt(caller, id);
        return mine(receipt.customerId(), receipt, "receipt", id);
    }

    public CreditNote creditNote(String id) {
        CreditNote note = uc.creditNotes().get(caller, id);
        return mine(note.customerId(), note, "credit_note", id);
    }

    public PhoneNumber number(String id) {
        for (Subscription sub : subscriptions()) {
            for (PhoneNumber n : uc.numbers().list(caller, sub.id())) {
                if (n.id().equals(id)) {
                    return n;
                }
            }
        }
        throw AccrueException.notFound("phone_number", id);
    }

    private <T> T mine(String owner, T found, String kind, String id) {
        if (!customer.id().equals(owner)) {
            throw AccrueException.notFound(kind, id);
        }
        return found;
    }
}

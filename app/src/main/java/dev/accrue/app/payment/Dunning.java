package dev.accrue.app.payment;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import dev.accrue.app.rental.PhoneNumber;
import dev.accrue.app.rental.PhoneNumberService;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.subscription.SubscriptionService;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.payment.DunningPolicy;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SubscriptionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What happens when an invoice cannot be collected, and when it finally is. Each failed try (every method
 * declined) schedules the next by the tenant's {@link DunningPolicy} and emails the billing contact the reason and
 * how to fix it; after the last retry and the grace period the customer is suspended with the existing mechanisms
 * (the subscription's suspension refuses usage authorization and new resources; its numbers go On Hold) — the payer's,
 * and those of the child accounts whose service the unpaid invoice pays for (docs/billing.md#account-hierarchies). Any
 * successful payment that leaves nothing in grace or suspended reinstates at once, in the payment's transaction.
 * Every step runs inside the caller's transaction, is audited, and records its domain events there.
 */
public final class Dunning {
    private static final Logger LOG = LoggerFactory.getLogger(Dunning.class);
    private final PaymentRepository payments;
    private final PaymentMethodRepository methods;
    private final SubscriptionRepository subscriptionRepo;
    private final SubscriptionService subscriptions;
    private final PhoneNumberService numbers;
    private final EmailOutbox outbox;
    private final AuditLog audit;
    private final DomainEvents events;
    private final CustomerTime time;

    public Dunning(PaymentRepository payments, PaymentMethodRepository methods, SubscriptionRepository subscriptionRepo, SubscriptionService subscriptions,
                   PhoneNumberService numbers, EmailOutbox outbox, AuditLog audit, DomainEvents events, CustomerTime time) {
        this.payments = payments;
        this.methods = methods;
        this.subscriptionRepo = subscriptionRepo;
        this.subscriptions = subscriptions;
        this.numbers = numbers;
        this.outbox = outbox;
        this.audit = audit;
        this.events = events;
        this.time = time;
    }

    /** Every method was tried (or none could be) in this round: the next retry, or the grace period before suspension. */
    public Collection roundFailed(String tenantId, Collection c, Customer customer, PaymentRepository.InvoiceAmounts invoice, String reason, String message) {
        Instant now = time.now(tenantId, customer);
        DunningPolicy policy = methods.settings(tenantId).orElse(PaymentSettings.DEFAULT).dunning();
        Instant firstFailure = c.firstFailedAt() == null ? now : c.firstFailedAt();
        DunningPolicy.Next next = policy.afterFailure(c.round(), firstFailure, now);
        Collection after = new Collection(c.tenantId(), c.invoiceId(), c.customerId(), next.grace() ? Collection.GRACE : Collection.COLLECTING, next.round(),
                firstFailure, next.at(), c.hardDeclined(), null, null, reason, c.cycle());
        payments.update(tenantId, after, time.systemNow());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("invoice_id", invoice.invoiceId());
        facts.put("amount_due", invoice.due().toPlainMinorString());
        facts.put("currency", invoice.total().currency().getCurrencyCode());
        facts.put("reason", reason);
        facts.put("attempt", c.round() + 1);
        facts.put(next.grace() ? "suspend_at" : "next_attempt_at", next.at().toString());
        audit.record(Caller.system(tenantId), "invoice", invoice.invoiceId(), next.grace() ? "invoice.collection_exhausted" : "invoice.retry_scheduled",
                Map.of("stage", c.stage(), "round", c.round()), facts);
        events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.INVOICE_PAYMENT_FAILED, "invoice", invoice.invoiceId(), customer.id(), facts, now));
        notifyFailure(tenantId, customer, invoice, reason, message, next);
        return after;
    }

    /** The grace period is over: service is suspended (subscriptions, numbers On Hold) until the customer pays. */
    public void suspend(String tenantId, Collection c, Customer customer) {
        Instant now = time.now(tenantId, customer);
        Caller system = Caller.system(tenantId);
        LocalDate today = time.today(tenantId, customer);
        var existing = payments.suspension(tenantId, customer.id());
        LinkedHashSet<String> subs = new LinkedHashSet<>(existing.map(PaymentRepository.Suspension::subscriptionIds).orElse(List.of()));
        LinkedHashSet<String> held = new LinkedHashSet<>(existing.map(PaymentRepository.Suspension::numbers).orElse(List.of()));
        List<String> newlyHeld = new ArrayList<>();
        // the payer's service, and that of the children whose service this invoice pays for (a child's invoice the parent
        // pays, or the children with a section on a consolidated invoice): all of it stands on the payment that failed
        List<String> dependents = payments.dependentAccounts(tenantId, c.invoiceId(), customer.id());
        List<Subscription> served = new ArrayList<>(subscriptionRepo.forCustomer(tenantId, customer.id()));
        for (String dependent : dependents) {
            served.addAll(subscriptionRepo.forCustomer(tenantId, dependent));
        }
        for (Subscription s : served) {
            SubscriptionStatus status = s.statusOn(today);
            if (status == SubscriptionStatus.ENDED) {
                continue;
            }
            if (s.suspendedOn() == null) {
                subscriptions.suspend(system, s.id());
                subs.add(s.id());
            }
            for (PhoneNumber n : numbers.list(system, s.id())) {
                if (n.status().equals(PhoneNumber.ACTIVE)) {
                    numbers.hold(system, s.id(), n.id());
                    held.add(s.id() + "/" + n.id());
                    newlyHeld.add(n.number());
                    events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.NUMBER_ON_HOLD, "phone_number", n.id(), customer.id(),
                            Map.of("number", n.number(), "subscription_id", s.id(), "reason", "payment_failed"), now));
                }
            }
        }
        payments.saveSuspension(tenantId, new PaymentRepository.Suspension(customer.id(), existing.map(PaymentRepository.Suspension::suspendedAt).orElse(now),
                List.copyOf(subs), List.copyOf(held)));
        payments.update(tenantId, new Collection(c.tenantId(), c.invoiceId(), c.customerId(), Collection.SUSPENDED, c.round(), c.firstFailedAt(), null,
                c.hardDeclined(), null, null, c.lastFailure(), c.cycle()), time.systemNow());
        Map<String, Object> facts = Map.of("invoice_id", c.invoiceId(), "subscription_ids", List.copyOf(subs), "numbers_on_hold", newlyHeld);
        audit.record(system, "customer", customer.id(), "customer.suspended", null,
                dependents.isEmpty() ? facts : Map.of("invoice_id", c.invoiceId(), "subscription_ids", List.copyOf(subs), "numbers_on_hold", newlyHeld,
                        "dependent_customer_ids", dependents));
        if (existing.isEmpty()) {
            events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.CUSTOMER_SUSPENDED, "customer", customer.id(), customer.id(), facts, now));
        }
    }

    /**
     * A payment succeeded: when nothing of the customer is in grace or suspended any more, what dunning suspended
     * is reinstated now — subscriptions back in service, numbers it put On Hold active again.
     */
    public void paymentSucceeded(String tenantId, Customer customer) {
        var suspension = payments.suspension(tenantId, customer.id());
        if (suspension.isEmpty()) {
            return;
        }
        boolean stillOwing = payments.open(tenantId, customer.id()).stream()
                .anyMatch(c -> c.stage().equals(Collection.GRACE) || c.stage().equals(Collection.SUSPENDED));
        if (stillOwing) {
            return;
        }
        Caller system = Caller.system(tenantId);
        Instant now = time.now(tenantId, customer);
        List<String> reinstated = new ArrayList<>();
        for (String subId : suspension.get().subscriptionIds()) {
            Subscription s = subscriptionRepo.find(tenantId, subId).orElse(null);
            if (s != null && s.suspendedOn() != null && s.statusOn(time.today(tenantId, customer)) != SubscriptionStatus.ENDED) {
                subscriptions.reinstate(system, subId);
                reinstated.add(subId);
            }
        }
        List<String> active = new ArrayList<>();
        for (String held : suspension.get().numbers()) {
            String subId = held.substring(0, held.indexOf('/'));
            String numberId = held.substring(held.indexOf('/') + 1);
            try {
                var renewed = numbers.renew(system, subId, numberId);
                active.add(renewed.number().number());
                events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.NUMBER_REACTIVATED, "phone_number", numberId, customer.id(),
                        Map.of("number", renewed.number().number(), "subscription_id", subId), now));
            } catch (AccrueException e) {
                // released meanwhile (its grace ran out) or renewed by hand: nothing to give back
                LOG.debug("Number {} of {} not reactivated: {}", numberId, subId, e.getMessage());
            }
        }
        payments.deleteSuspension(tenantId, customer.id());
        Map<String, Object> facts = Map.of("subscription_ids", reinstated, "numbers_reactivated", active);
        audit.record(system, "customer", customer.id(), "customer.reinstated", null, facts);
        events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.CUSTOMER_REINSTATED, "customer", customer.id(), customer.id(), facts, now));
    }

    /** A method was added or renewed: every open collection of the customer is tried again now. */
    public void methodAdded(String tenantId, Customer customer) {
        Instant now = time.now(tenantId, customer);
        for (Collection c : payments.open(tenantId, customer.id())) {
            Collection due = new Collection(c.tenantId(), c.invoiceId(), c.customerId(), Collection.COLLECTING, c.round(), c.firstFailedAt(), now,
                    c.hardDeclined(), c.inFlightPaymentId(), c.inFlightSince(), c.lastFailure(), c.cycle());
            payments.update(tenantId, due, time.systemNow());
            if (!c.stage().equals(Collection.COLLECTING)) {
                audit.record(Caller.system(tenantId), "invoice", c.invoiceId(), "invoice.collection_resumed", Map.of("stage", c.stage()),
                        Map.of("stage", Collection.COLLECTING, "next_attempt_at", now.toString()));
            }
        }
    }

    private void notifyFailure(String tenantId, Customer customer, PaymentRepository.InvoiceAmounts invoice, String reason, String message,
                               DunningPolicy.Next next) {
        if (customer.billingEmails().isEmpty()) {
            return;
        }
        String amount = invoice.due().toPlainMinorString() + " " + invoice.total().currency().getCurrencyCode();
        String what = invoice.number() == null ? "your invoice" : "invoice " + invoice.number();
        String subject = "Payment of " + amount + " for " + what + " failed";
        String when = next.grace()
                ? "This was the last automatic attempt. Unless the invoice is paid by " + next.at().atZone(customer.timeZone()).toLocalDate()
                  + ", service will be suspended."
                : "We will try again on " + next.at().atZone(customer.timeZone()).toLocalDate() + ".";
        String body = "Hello " + customer.legalName() + ",\n\n"
                + "We could not collect " + amount + " for " + what + ": " + (message == null ? reason : message) + " (" + reason + ").\n\n"
                + "How to fix it: " + fix(reason) + "\n\n" + when + "\n";
        Instant now = time.systemNow();
        outbox.enqueue(tenantId, new OutboundEmail(Ids.next("eml"), customer.id(), customer.billingEmails(), subject, body, null, null, List.of(),
                "invoice", invoice.invoiceId(), OutboundEmail.QUEUED, 0, null, now, now, null, null));
    }

    static String fix(String reason) {
        return switch (reason == null ? "" : reason) {
            case "insufficient_funds" -> "make sure the account has enough funds for the amount, or add another payment method.";
            case "expired_card" -> "update the card's expiry date, or add a new card.";
            case "fraudulent", "card_declined", "payment_declined" -> "contact your bank, or add another payment method.";
            case "processing_error" -> "nothing on your side; it was a temporary error at the bank, and the next attempt will retry.";
            case "no_payment_method" -> "add a payment method.";
            default -> "add another payment method or update the current one.";
        };
    }
}

package dev.accrue.app.payment;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import dev.accrue.app.payment.CollectionRunner.Attempt;
import dev.accrue.app.payment.gateway.GatewayCharge;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.money.Money;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The set-based form of {@link CollectionRunner}'s steps 1 (store the attempt) and 3 (record the outcome) for a
 * chunk of collections, inside the chunk's transaction: a fixed number of statements per chunk and tenant instead of
 * a dozen or two per invoice. It does exactly what the one-at-a-time steps do, for the plain case only — the first
 * untried method of a collection that is collecting, and an approved charge that pays (part of) a finalized invoice
 * of a customer dunning has not suspended. Everything else (an attempt a dead node left pending, grace, nothing left
 * to try, an over-payment, a decline, a reinstatement) is handed back to the one-at-a-time step, in the same
 * transaction, so each rule keeps one implementation for its unusual cases.
 *
 * <p>Locks are taken in the one-at-a-time order — customers (in chunk order), collections, payments, invoices — so
 * batches, single steps, webhooks and other nodes cannot deadlock on them.
 */
public final class CollectionBatch {
    private final PaymentRepository payments;
    private final PaymentMethodRepository methods;
    private final CustomerRepository customers;
    private final String gateway;
    private final AuditLog audit;
    private final DomainEvents events;
    private final EmailOutbox outbox;
    private final CustomerTime time;

    public CollectionBatch(PaymentRepository payments, PaymentMethodRepository methods, CustomerRepository customers, String gateway, AuditLog audit,
                           DomainEvents events, EmailOutbox outbox, CustomerTime time) {
        this.payments = payments;
        this.methods = methods;
        this.customers = customers;
        this.gateway = gateway;
        this.audit = audit;
        this.events = events;
        this.outbox = outbox;
        this.time = time;
    }

    /** What step 1 stored, and the collections left to the one-at-a-time step. */
    record Begun(List<Attempt> attempts, List<Collection> rest) {
    }

    /** Every customer of the chunk locked, tenant by tenant, each tenant's in id order (as the chunk is sorted). */
    void lockCustomers(Map<String, List<String>> customersByTenant) {
        new TreeMap<>(customersByTenant).forEach((tenantId, ids) -> methods.lockCustomers(tenantId, List.copyOf(new TreeSet<>(ids))));
    }

    /** Step 1 for a chunk: the plain tries stored as pending payments (one insert per tenant) and their collections marked in flight. */
    Begun begin(List<Collection> chunk) {
        Map<String, List<Collection>> byTenant = chunk.stream().collect(Collectors.groupingBy(Collection::tenantId, TreeMap::new, Collectors.toList()));
        lockCustomers(byTenant.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stream().map(Collection::customerId).toList())));
        List<Attempt> attempts = new ArrayList<>();
        List<Collection> rest = new ArrayList<>();
        byTenant.forEach((tenantId, claimed) -> beginTenant(tenantId, claimed, attempts, rest));
        return new Begun(attempts, rest);
    }

    private void beginTenant(String tenantId, List<Collection> claimed, List<Attempt> attempts, List<Collection> rest) {
        List<String> invoiceIds = claimed.stream().map(Collection::invoiceId).toList();
        Map<String, Collection> locked = payments.lockCollections(tenantId, invoiceIds);
        Map<String, PaymentRepository.InvoiceAmounts> invoices = payments.lockInvoices(tenantId, invoiceIds);
        List<Collection> plain = new ArrayList<>();
        for (Collection seen : claimed) {
            Collection c = locked.get(seen.invoiceId());
            PaymentRepository.InvoiceAmounts invoice = invoices.get(seen.invoiceId());
            if (c != null && c.stage().equals(Collection.COLLECTING) && c.inFlightPaymentId() == null && invoice != null
                && invoice.status().equals("finalized") && invoice.due().isPositive()) {
                plain.add(c);
            } else {
                rest.add(seen);
            }
        }
        if (plain.isEmpty()) {
            return;
        }
        List<String> customerIds = plain.stream().map(Collection::customerId).distinct().toList();
        Map<String, Customer> byId = customers.findAll(tenantId, customerIds).stream().collect(Collectors.toMap(Customer::id, Function.identity()));
        Map<String, List<Payment>> tried = payments.attemptsOf(tenantId, plain);
        Map<String, List<PaymentMethod>> active = methods.activeOf(tenantId, customerIds);
        List<Payment> stored = new ArrayList<>();
        Map<String, PaymentMethod> methodOf = new LinkedHashMap<>();
        Map<String, Collection> collectionOf = new LinkedHashMap<>();
        for (Collection c : plain) {
            Set<String> triedMethods = tried.getOrDefault(c.invoiceId(), List.of()).stream().map(Payment::methodId).collect(Collectors.toSet());
            PaymentMethod m = active.getOrDefault(c.customerId(), List.of()).stream()
                    .filter(x -> !c.hardDeclined().contains(x.id()) && !triedMethods.contains(x.id())).findFirst().orElse(null);
            if (m == null) {
                rest.add(c); // nothing left to try (or no method at all): dunning or waiting, one at a time
                continue;
            }
            Customer customer = byId.get(c.customerId());
            Payment p = new Payment(Ids.next("pay"), customer.id(), c.invoiceId(), Payment.INVOICE, Payment.AUTOMATIC, c.attemptKey(m.id()),
                    c.round(), m.id(), m.kind(), m.brand(), m.last4(), gateway, invoices.get(c.invoiceId()).due(), null, null, null, Payment.PENDING, null, null,
                    null, false, null, null, null, time.now(tenantId, customer), null);
            stored.add(p);
            methodOf.put(p.id(), m);
            collectionOf.put(p.id(), c);
        }
        Set<String> inserted = payments.insertAttempts(tenantId, stored);
        if (inserted.isEmpty()) {
            return; // another node stored these very tries: they are that node's to finish
        }
        Map<String, String> gatewayCustomers = methods.gatewayCustomers(tenantId, customerIds, gateway);
        Instant at = time.systemNow();
        List<Collection> inFlight = new ArrayList<>();
        for (Payment p : stored) {
            if (!inserted.contains(p.id())) {
                continue;
            }
            Collection c = collectionOf.get(p.id());
            inFlight.add(new Collection(c.tenantId(), c.invoiceId(), c.customerId(), c.stage(), c.round(), c.firstFailedAt(), c.nextAttemptAt(),
                    c.hardDeclined(), p.id(), at, c.lastFailure(), c.cycle()));
            PaymentRepository.InvoiceAmounts invoice = invoices.get(p.invoiceId());
            String gatewayCustomer = gatewayCustomers.get(p.customerId());
            if (gatewayCustomer == null) {
                throw new IllegalStateException("Customer " + p.customerId() + " has a saved method but no " + gateway + " customer record");
            }
            String description = "Invoice " + (invoice.number() == null ? invoice.invoiceId() : invoice.number());
            attempts.add(new Attempt(tenantId, p.customerId(), p.invoiceId(), p.id(),
                    new GatewayCharge(methodOf.get(p.id()).token(), gatewayCustomer, p.amount(), description, p.id(), tenantId)));
        }
        payments.updateAll(tenantId, inFlight, at);
    }

    /**
     * Step 3 for the approved charges of a chunk whose customers are locked: each that pays (part of) its invoice
     * plainly is recorded here — payment succeeded, invoice paid, collection ended, audit, events, receipt email —
     * and its id added to {@code receipts} for numbering at the end of the transaction. Returns the positions left
     * to the one-at-a-time step (other outcomes, and approvals that are not plain).
     */
    List<Integer> settleApproved(List<Attempt> attempts, List<GatewayOutcome> outcomes, Map<String, List<String>> receipts) {
        List<Integer> rest = new ArrayList<>();
        Map<String, List<Integer>> approvedByTenant = new TreeMap<>();
        for (int i = 0; i < attempts.size(); i++) {
            if (outcomes.get(i) instanceof GatewayOutcome.Approved) {
                approvedByTenant.computeIfAbsent(attempts.get(i).tenantId(), t -> new ArrayList<>()).add(i);
            } else {
                rest.add(i);
            }
        }
        approvedByTenant.forEach((tenantId, positions) -> rest.addAll(settleTenant(tenantId, positions, attempts, outcomes, receipts)));
        return rest;
    }

    private List<Integer> settleTenant(String tenantId, List<Integer> positions, List<Attempt> attempts, List<GatewayOutcome> outcomes,
                                       Map<String, List<String>> receipts) {
        List<String> invoiceIds = positions.stream().map(i -> attempts.get(i).invoiceId()).toList();
        List<String> customerIds = positions.stream().map(i -> attempts.get(i).customerId()).distinct().toList();
        Map<String, Collection> collections = payments.lockCollections(tenantId, invoiceIds);
        Map<String, Payment> stored = payments.findAllForUpdate(tenantId, positions.stream().map(i -> attempts.get(i).paymentId()).toList());
        Map<String, PaymentRepository.InvoiceAmounts> invoices = payments.lockInvoices(tenantId, invoiceIds);
        Set<String> suspended = payments.suspendedAmong(tenantId, customerIds);
        Map<String, Customer> byId = customers.findAll(tenantId, customerIds).stream().collect(Collectors.toMap(Customer::id, Function.identity()));
        Instant at = time.systemNow();
        List<Integer> rest = new ArrayList<>();
        List<PaymentRepository.Succeeded> succeeded = new ArrayList<>();
        List<PaymentRepository.InvoicePayment> paid = new ArrayList<>();
        List<Collection> ended = new ArrayList<>();
        List<AuditLog.Entry> entries = new ArrayList<>();
        List<DomainEvent> recorded = new ArrayList<>();
        List<OutboundEmail> emails = new ArrayList<>();
        Set<String> seenInvoices = new HashSet<>();
        for (int i : positions) {
            Attempt a = attempts.get(i);
            Payment p = stored.get(a.paymentId());
            if (p == null || !p.status().equals(Payment.PENDING)) {
                continue; // recorded already (by the node that sent it first)
            }
            Collection c = collections.get(a.invoiceId());
            PaymentRepository.InvoiceAmounts invoice = invoices.get(a.invoiceId());
            boolean plain = c != null && invoice != null && p.invoiceId() != null && invoice.status().equals("finalized")
                            && p.amount().compareTo(invoice.due()) <= 0 && !suspended.contains(p.customerId()) && seenInvoices.add(p.invoiceId());
            if (!plain) {
                rest.add(i);
                continue;
            }
            Customer customer = byId.get(p.customerId());
            Instant now = time.now(tenantId, customer);
            String reference = ((GatewayOutcome.Approved) outcomes.get(i)).reference();
            Money applied = p.amount();
            boolean inFull = applied.compareTo(invoice.due()) == 0;
            Payment done = new Payment(p.id(), p.customerId(), p.invoiceId(), p.purpose(), p.source(), p.attemptKey(), p.round(), p.methodId(), p.methodKind(),
                    p.brand(), p.last4(), p.gateway(), p.amount(), applied, Money.zero(applied.currency()), p.refunded(), Payment.SUCCEEDED, reference, null,
                    null, false, p.reference(), p.receivedOn(), null, p.createdAt(), at);
            succeeded.add(new PaymentRepository.Succeeded(p.id(), reference, applied.amount()));
            paid.add(new PaymentRepository.InvoicePayment(invoice.invoiceId(), applied.amount(), inFull, now, done.printedReference()));
            ended.add(new Collection(c.tenantId(), c.invoiceId(), c.customerId(), inFull ? Collection.PAID : c.stage(), c.round(), c.firstFailedAt(), null,
                    c.hardDeclined(), null, null, c.lastFailure(), c.cycle()));
            if (inFull) {
                entries.add(new AuditLog.Entry("invoice", invoice.invoiceId(), "invoice.paid", Map.of("status", "finalized"),
                        Map.of("status", "paid", "payment_id", p.id())));
                recorded.add(new DomainEvent(Ids.next("evt"), EventTypes.INVOICE_PAID, "invoice", invoice.invoiceId(), customer.id(),
                        Map.of("invoice_id", invoice.invoiceId(), "number", String.valueOf(invoice.number()), "total", invoice.total().toPlainMinorString(),
                                "currency", invoice.total().currency().getCurrencyCode(), "payment_id", p.id()), now));
            }
            Map<String, Object> facts = PaymentApplication.snapshot(done);
            entries.add(new AuditLog.Entry("payment", p.id(), "payment.succeeded", null, facts));
            recorded.add(new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_SUCCEEDED, "payment", p.id(), customer.id(), facts, now));
            if (!customer.billingEmails().isEmpty()) {
                emails.add(OutboundEmail.templated(Ids.next("eml"), customer.id(), customer.billingEmails(), "payment_receipt", "payment", p.id(), at));
            }
            receipts.computeIfAbsent(tenantId, t -> new ArrayList<>()).add(p.id());
        }
        payments.succeedAll(tenantId, succeeded, at);
        payments.payInvoices(tenantId, paid);
        payments.updateAll(tenantId, ended, at);
        audit.recordAll(Caller.system(tenantId), entries);
        events.recordAll(tenantId, recorded);
        outbox.enqueueAll(tenantId, emails);
        return rest;
    }
}

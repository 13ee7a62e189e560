package dev.accrue.app.payment;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.credit.CustomerCredits;
import dev.accrue.app.document.InvoicePayments;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.money.Money;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place a succeeded payment takes effect, inside the transaction that records it: what the invoice still
 * owes is paid (partly, or in full: the invoice becomes {@code paid} with the payment's date and reference), the
 * rest — an over-payment, or money that arrived after the invoice was settled another way — becomes customer
 * credit; a receipt is numbered and emailed; the collection ends when nothing is owed; dunning reinstates what it
 * suspended. The invoice row is locked first, so concurrent payments of one invoice add up and never pay twice.
 */
public final class PaymentApplication {
    private final PaymentRepository payments;
    private final InvoiceRepository invoices;
    private final InvoicePayments invoicePayments;
    private final CustomerCredits credits;
    private final Dunning dunning;
    private final EmailOutbox outbox;
    private final AuditLog audit;
    private final DomainEvents events;
    private final CustomerTime time;

    public PaymentApplication(PaymentRepository payments, InvoiceRepository invoices, InvoicePayments invoicePayments, CustomerCredits credits, Dunning dunning,
                              EmailOutbox outbox, AuditLog audit, DomainEvents events, CustomerTime time) {
        this.payments = payments;
        this.invoices = invoices;
        this.invoicePayments = invoicePayments;
        this.credits = credits;
        this.dunning = dunning;
        this.outbox = outbox;
        this.audit = audit;
        this.events = events;
        this.time = time;
    }

    /** {@code payment} has just succeeded (its row says so in this transaction); applies it to its invoice. */
    public Payment apply(String tenantId, Customer customer, Payment payment, Caller caller) {
        applyUnnumbered(tenantId, customer, payment, caller);
        numberReceipts(tenantId, List.of(payment.id()));
        return payments.find(tenantId, payment.id()).orElseThrow();
    }

    /**
     * {@link #apply} without the receipt's number, for a batch that numbers all its receipts at its end with
     * {@link #numberReceipts}, in the same transaction (the number is read when the receipt is rendered).
     */
    void applyUnnumbered(String tenantId, Customer customer, Payment payment, Caller caller) {
        Instant now = time.now(tenantId, customer);
        Money applied = Money.zero(payment.amount().currency());
        PaymentRepository.InvoiceAmounts invoice = null;
        if (payment.invoiceId() != null) {
            invoice = payments.lockInvoice(tenantId, payment.invoiceId()).orElseThrow();
            if (invoice.status().equals("finalized")) {
                Money due = invoice.due();
                applied = payment.amount().compareTo(due) <= 0 ? payment.amount() : due;
                payments.addPaid(tenantId, invoice.invoiceId(), applied.amount());
                if (applied.compareTo(due) == 0) {
                    invoices.settle(tenantId, invoice.invoiceId(), "paid", now);
                    invoicePayments.recordReference(tenantId, invoice.invoiceId(), payment.printedReference());
                    audit.record(caller, "invoice", invoice.invoiceId(), "invoice.paid", Map.of("status", "finalized"),
                            Map.of("status", "paid", "payment_id", payment.id()));
                    events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.INVOICE_PAID, "invoice", invoice.invoiceId(), customer.id(),
                            Map.of("invoice_id", invoice.invoiceId(), "number", String.valueOf(invoice.number()), "total", invoice.total().toPlainMinorString(),
                                    "currency", invoice.total().currency().getCurrencyCode(), "payment_id", payment.id()), now));
                }
            }
        }
        Money credited = payment.amount().minus(applied);
        if (credited.isPositive()) {
            credits.grant(tenantId, customer, credited, payment.id(), invoice == null ? "Payment " + payment.id()
                    : "Over-payment of invoice " + (invoice.number() == null ? invoice.invoiceId() : invoice.number()));
        }
        payments.recordApplication(tenantId, payment.id(), applied.amount(), credited.amount(), null);
        Payment done = payments.find(tenantId, payment.id()).orElseThrow();
        if (invoice != null) {
            payments.lockCollection(tenantId, invoice.invoiceId()).ifPresent(c -> {
                boolean settled = !payments.lockInvoice(tenantId, c.invoiceId()).orElseThrow().status().equals("finalized");
                if (settled && !c.stage().equals(Collection.PAID)) {
                    payments.update(tenantId, new Collection(c.tenantId(), c.invoiceId(), c.customerId(), Collection.PAID, c.round(), c.firstFailedAt(), null,
                            c.hardDeclined(), null, null, c.lastFailure(), c.cycle()), time.systemNow());
                }
            });
        }
        Map<String, Object> facts = snapshot(done);
        audit.record(caller, "payment", done.id(), "payment.succeeded", null, facts);
        events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_SUCCEEDED, "payment", done.id(), customer.id(), facts, now));
        if (!customer.billingEmails().isEmpty()) {
            outbox.enqueue(tenantId, OutboundEmail.templated(Ids.next("eml"), customer.id(), customer.billingEmails(), "payment_receipt", "payment", done.id(),
                    time.systemNow()));
        }
        dunning.paymentSucceeded(tenantId, customer);
    }

    /**
     * Gives the payments of one tenant their gapless receipt numbers (PRC-000001…), in order, with one move of the
     * tenant's counter. Called last in the transaction: the counter row stays locked until commit, so it is held for
     * the shortest time — two statements, however many payments the transaction applied.
     */
    void numberReceipts(String tenantId, List<String> paymentIds) {
        if (paymentIds.isEmpty()) {
            return;
        }
        long last = payments.nextReceiptNumbers(tenantId, paymentIds.size());
        long first = last - paymentIds.size() + 1;
        Map<String, String> numbers = new LinkedHashMap<>();
        for (int i = 0; i < paymentIds.size(); i++) {
            numbers.put(paymentIds.get(i), "PRC-%06d".formatted(first + i));
        }
        payments.recordReceiptNumbers(tenantId, numbers);
    }

    static Map<String, Object> snapshot(Payment p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        if (p.invoiceId() != null) {
            out.put("invoice_id", p.invoiceId());
        }
        out.put("purpose", p.purpose());
        out.put("source", p.source());
        out.put("amount", p.amount().toPlainMinorString());
        out.put("currency", p.amount().currency().getCurrencyCode());
        out.put("status", p.status());
        out.put("method", p.methodLabel());
        if (p.applied() != null) {
            out.put("applied", p.applied().toPlainMinorString());
            out.put("credited", p.credited().toPlainMinorString());
        }
        if (p.failureCode() != null) {
            out.put("failure_code", p.failureCode());
        }
        if (p.printedReference() != null) {
            out.put("reference", p.printedReference());
        }
        if (p.receiptNumber() != null) {
            out.put("receipt_number", p.receiptNumber());
        }
        return out;
    }
}

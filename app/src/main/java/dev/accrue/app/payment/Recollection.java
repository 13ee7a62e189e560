package dev.accrue.app.payment;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.core.customer.CollectionMethod;
import dev.accrue.core.customer.Customer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lost dispute took money back that had paid an invoice (docs/payments.md#disputes): the invoice is owed again and
 * pursued like any open invoice. A paid invoice goes back to {@code finalized} (so manual payments, the portal and
 * every rule about open invoices apply to it), and an auto-pay customer's invoice is collected again through the
 * existing collection — a new cycle of its collection, round 0, due now: the default method, the backups, then the
 * dunning schedule, grace and suspension as for a new invoice. The disputed payment's method is not charged again for
 * it when the bank said the payment was fraudulent (the card's holder did not make it). Joins the caller's
 * transaction, which holds the customer's lock.
 */
public final class Recollection {
    /** A dispute reason saying the card's holder did not make the payment: charging that card again would be disputed again. */
    private static final Set<String> NOT_THE_HOLDER = Set.of("fraudulent");
    private final PaymentRepository payments;
    private final PaymentMethodRepository methods;
    private final AuditLog audit;
    private final CustomerTime time;

    public Recollection(PaymentRepository payments, PaymentMethodRepository methods, AuditLog audit, CustomerTime time) {
        this.payments = payments;
        this.methods = methods;
        this.audit = audit;
        this.time = time;
    }

    /** {@code dispute} was just closed lost and took money off {@code disputed}'s invoice. */
    public void afterLostDispute(String tenantId, Customer customer, Payment disputed, Dispute dispute) {
        if (disputed.invoiceId() == null) {
            return; // a wallet recharge: nothing is owed on an invoice
        }
        PaymentRepository.InvoiceAmounts invoice = payments.lockInvoice(tenantId, disputed.invoiceId()).orElseThrow();
        if (!invoice.due().isPositive() || !Set.of("paid", "finalized").contains(invoice.status())) {
            return;
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("dispute_id", dispute.id());
        facts.put("amount_due", invoice.due().toPlainMinorString());
        facts.put("currency", invoice.total().currency().getCurrencyCode());
        if (payments.reopenInvoice(tenantId, invoice.invoiceId())) {
            audit.record(Caller.system(tenantId), "invoice", invoice.invoiceId(), "invoice.reopened", Map.of("status", "paid"), facts);
        }
        if (customer.paymentTerms().collectionMethod() != CollectionMethod.AUTO_PAY) {
            return; // owed again, shown due; paid by transfer like any open invoice of a manual customer
        }
        Collection c = payments.lockCollection(tenantId, invoice.invoiceId()).orElse(null);
        if (c != null && !Set.of(Collection.PAID, Collection.CLOSED).contains(c.stage())) {
            return; // still being collected: its next try charges what is due now
        }
        List<String> hard = new ArrayList<>(c == null ? List.of() : c.hardDeclined());
        if (disputed.methodId() != null && dispute.reason() != null && NOT_THE_HOLDER.contains(dispute.reason()) && !hard.contains(disputed.methodId())) {
            hard.add(disputed.methodId());
        }
        boolean hasMethod = !methods.active(tenantId, customer.id()).isEmpty();
        Instant now = time.now(tenantId, customer);
        int cycle = payments.recollect(tenantId, invoice.invoiceId(), customer.id(), hasMethod ? Collection.COLLECTING : Collection.WAITING_FOR_METHOD,
                hasMethod ? now : null, hard, time.systemNow());
        facts.put("cycle", cycle);
        facts.put("stage", hasMethod ? Collection.COLLECTING : Collection.WAITING_FOR_METHOD);
        if (hasMethod) {
            facts.put("next_attempt_at", now.toString());
        }
        audit.record(Caller.system(tenantId), "invoice", invoice.invoiceId(), "invoice.collection_reopened",
                c == null ? null : Map.of("stage", c.stage(), "cycle", c.cycle()), facts);
    }
}

package dev.accrue.app.payment;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.payment.gateway.GatewayDispute;
import dev.accrue.app.payment.gateway.GatewayEvent;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Disputes (chargebacks) the gateway reports by its events, and the list of them. A dispute is tied to the payment it
 * disputes; what it takes off the invoice's amount_paid follows its state, one rule ({@link #wanted}): the disputed
 * amount while open and after it was lost (the bank took the money back), nothing once won or once the gateway
 * reinstated the funds. {@link TakeBacks} moves the difference, so a redelivered or out-of-order event never takes twice.
 * Each change is audited on the payment; a new dispute records {@code payment.disputed}, its end {@code dispute.closed},
 * in the same transaction. A dispute lost makes the invoice owed again ({@link Recollection}: reopened, and collected
 * again from an auto-pay customer).
 */
public final class DisputeService {
    /** Stripe's statuses of a dispute that ended in the seller's favour (an inquiry closed without a chargeback included). */
    private static final Set<String> WON_STATUSES = Set.of("won", "warning_closed");
    private final Transactions tx;
    private final DisputeRepository disputes;
    private final PaymentMethodRepository methods;
    private final CustomerRepository customers;
    private final TakeBacks takeBacks;
    private final AuditLog audit;
    private final DomainEvents events;
    private final CustomerTime time;
    private final Recollection recollection;

    public DisputeService(Transactions tx, DisputeRepository disputes, PaymentMethodRepository methods, CustomerRepository customers, TakeBacks takeBacks,
                          AuditLog audit, DomainEvents events, CustomerTime time, Recollection recollection) {
        this.tx = tx;
        this.disputes = disputes;
        this.methods = methods;
        this.customers = customers;
        this.takeBacks = takeBacks;
        this.audit = audit;
        this.events = events;
        this.time = time;
        this.recollection = recollection;
    }

    public Page<Dispute> list(Caller caller, String customerId, String invoiceId, PageRequest page) {
        return tx.inTransaction(() -> Page.fromOverfetch(disputes.list(caller.tenantId(), customerId, invoiceId, page), page.limit()));
    }

    /** A dispute event of the gateway about {@code payment}; joins the caller's transaction (the webhook's, which deduplicated the event). */
    public void fromGateway(String tenantId, Payment payment, String eventType, GatewayDispute reported) {
        tx.run(() -> {
            if (!reported.amount().currency().equals(payment.amount().currency())) {
                throw AccrueException.invalid("currency", "Dispute " + reported.id() + " is in " + reported.amount().currency() + ", payment " + payment.id()
                        + " in " + payment.amount().currency());
            }
            methods.lockCustomer(tenantId, payment.customerId()); // the customer first, then the invoice, as collection does
            Customer customer = customers.find(tenantId, payment.customerId()).orElseThrow();
            Instant now = time.now(tenantId, customer);
            Dispute before = disputes.findByGatewayReference(tenantId, payment.gateway(), reported.id()).orElse(null);
            boolean created = before == null;
            if (created) {
                before = new Dispute(Ids.next("dp"), payment.id(), customer.id(), payment.invoiceId(), payment.gateway(), reported.id(), reported.amount(),
                        Money.zero(reported.amount().currency()), reported.reason(), Dispute.OPEN, reported.status(), now, now, null);
                disputes.insert(tenantId, before);
            }
            boolean closes = before.status().equals(Dispute.OPEN) && eventType.equals(GatewayEvent.DISPUTE_CLOSED);
            String status = closes ? (WON_STATUSES.contains(reported.status()) ? Dispute.WON : Dispute.LOST) : before.status();
            Money taken = takeBacks.disputeTakes(tenantId, payment.invoiceId(), before.taken(), wanted(status, eventType, reported));
            Dispute after = new Dispute(before.id(), before.paymentId(), before.customerId(), before.invoiceId(), before.gateway(), before.gatewayReference(),
                    reported.amount(), taken, reported.reason() == null ? before.reason() : reported.reason(), status, reported.status(), before.createdAt(), now,
                    closes ? now : before.closedAt());
            disputes.update(tenantId, after);
            Map<String, Object> facts = snapshot(after);
            String action = created ? "payment.disputed" : closes ? "dispute.closed" : "dispute.updated";
            audit.record(Caller.system(tenantId), "payment", payment.id(), action, created ? null : snapshot(before), facts);
            if (created) {
                events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_DISPUTED, "dispute", after.id(), customer.id(), facts, now));
            }
            if (closes) {
                events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.DISPUTE_CLOSED, "dispute", after.id(), customer.id(), facts, now));
            }
            if (closes && status.equals(Dispute.LOST) && taken.isPositive()) {
                recollection.afterLostDispute(tenantId, customer, payment, after); // the money is owed again: pursued like any open invoice
            }
        });
    }

    /**
     * What the dispute should take off the invoice: nothing once won (or once a closed dispute is not lost), nothing while
     * the gateway has reinstated the funds, else the disputed amount. A dispute closed already keeps its outcome: a late
     * event about it changes only the gateway's status.
     */
    private static Money wanted(String status, String eventType, GatewayDispute reported) {
        Money none = Money.zero(reported.amount().currency());
        if (status.equals(Dispute.WON)) {
            return none;
        }
        if (status.equals(Dispute.OPEN) && eventType.equals(GatewayEvent.DISPUTE_FUNDS_REINSTATED)) {
            return none;
        }
        return reported.amount();
    }

    static Map<String, Object> snapshot(Dispute d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("payment_id", d.paymentId());
        if (d.invoiceId() != null) {
            out.put("invoice_id", d.invoiceId());
        }
        out.put("amount", d.amount().toPlainMinorString());
        out.put("currency", d.amount().currency().getCurrencyCode());
        out.put("taken", d.taken().toPlainMinorString());
        out.put("status", d.status());
        if (d.reason() != null) {
            out.put("reason", d.reason());
        }
        out.put("gateway_status", d.gatewayStatus());
        out.put("gateway_reference", d.gatewayReference());
        return out;
    }
}

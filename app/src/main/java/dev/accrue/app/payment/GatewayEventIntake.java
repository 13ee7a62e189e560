package dev.accrue.app.payment;

import dev.accrue.app.payment.gateway.GatewayEvent;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.time.Clock;
import java.util.Map;

/**
 * Gateway webhooks, received: what the gateway learned after the call (a bank debit settled days later, an outcome
 * a 500 hid, a refund made in its dashboard). The delivery is verified by the gateway's own signature scheme
 * ({@link PaymentGateway#parseEvent}; a forged or stale one is {@code unauthenticated} and changes nothing), then,
 * in one transaction, the event id is recorded (unique per gateway: a redelivery or a replay does nothing) and the
 * outcome settled by the code that settles a synchronous answer ({@link CollectionRunner#settleLearned}), so one place
 * owns settlement.
 *
 * <p>The attempt is named by what Accrue put on the charge (its id, which is also the idempotency key, and the
 * tenant); a refund or dispute event, whose charge may carry no metadata, by the charge reference Accrue stored. An event for
 * an attempt Accrue does not know, for another tenant than the attempt's, or of a type collection does not act on
 * is recorded as ignored and answered 200 all the same: the gateway would otherwise redeliver it for days, and no
 * delivery can ever make it apply.
 */
public final class GatewayEventIntake {
    public static final String APPLIED = "applied";
    public static final String DUPLICATE = "duplicate";
    public static final String IGNORED = "ignored";

    private final Transactions tx;
    private final PaymentRepository payments;
    private final PaymentGateway gateway;
    private final CollectionRunner collections;
    private final PaymentService paymentService;
    private final DisputeService disputes;
    private final Clock clock;

    public GatewayEventIntake(Transactions tx, PaymentRepository payments, PaymentGateway gateway, CollectionRunner collections, PaymentService paymentService,
                              DisputeService disputes, Clock clock) {
        this.tx = tx;
        this.payments = payments;
        this.gateway = gateway;
        this.collections = collections;
        this.paymentService = paymentService;
        this.disputes = disputes;
        this.clock = clock;
    }

    /** What a delivery did: {@code result} applied, duplicate or ignored; {@code reason} why it was ignored. */
    public record Receipt(String eventId, String type, String result, String reason) {
    }

    /** {@code gatewayName} is the route's ({@code stripe}, {@code sandbox}): only this node's gateway is served. */
    public Receipt receive(String gatewayName, String body, Map<String, String> headers) {
        if (!gateway.name().equals(gatewayName)) {
            throw AccrueException.notFound("gateway", gatewayName);
        }
        GatewayEvent event = gateway.parseEvent(body, headers);
        if (event.id() == null || event.id().isBlank()) {
            throw new AccrueException(ErrorCode.VALIDATION_FAILED, "id", "A gateway event without an id cannot be deduplicated");
        }
        return tx.inTransaction(() -> {
            Target target = target(event);
            String result = target.reason() == null ? APPLIED : IGNORED;
            if (!payments.recordGatewayEvent(gateway.name(), event.id(), event.type(), target.tenantId(), target.payment() == null ? null : target.payment().id(),
                    target.reason() == null ? APPLIED : IGNORED + ": " + target.reason(), clock.instant())) {
                return new Receipt(event.id(), event.type(), DUPLICATE, "event " + event.id() + " was received before");
            }
            if (target.reason() != null) {
                return new Receipt(event.id(), event.type(), result, target.reason());
            }
            Payment p = target.payment();
            if (event.refundedTotal() != null) {
                paymentService.recordGatewayRefund(target.tenantId(), p.id(), event.refundedTotal(), event.reference());
                return new Receipt(event.id(), event.type(), APPLIED, null);
            }
            if (event.dispute() != null) {
                disputes.fromGateway(target.tenantId(), p, event.type(), event.dispute());
                return new Receipt(event.id(), event.type(), APPLIED, null);
            }
            // a decline leaves the collection due now (CollectionRunner.settle): the next method, or dunning's next step,
            // is the collection job's, never this request's — the gateway gets its 2xx at once, and only the job (claims
            // with SKIP LOCKED, one attempt per invoice, round and method) calls the gateway, so the backup is charged once
            settle(target.tenantId(), p, event.outcome());
            return new Receipt(event.id(), event.type(), APPLIED, null);
        });
    }

    /**
     * An outcome learned by asking the gateway (the polling of charges left processing) rather than from a webhook,
     * settled by the very code a webhook's outcome goes through — so whichever comes first settles the payment and
     * the other changes nothing.
     */
    public void settleLearned(String tenantId, String paymentId, GatewayOutcome outcome) {
        tx.run(() -> payments.find(tenantId, paymentId).ifPresent(p -> settle(tenantId, p, outcome)));
    }

    /** In the caller's transaction. */
    private void settle(String tenantId, Payment p, GatewayOutcome outcome) {
        collections.settleLearned(tenantId, p, outcome);
    }

    private record Target(String tenantId, Payment payment, String reason) {
        static Target ignored(String tenantId, String reason) {
            return new Target(tenantId, null, reason);
        }
    }

    /** The payment the event settles, or why it settles none. Reads only. */
    private Target target(GatewayEvent event) {
        boolean refund = event.refundedTotal() != null || event.dispute() != null; // about a payment made, found by its reference
        boolean settles = event.outcome() instanceof GatewayOutcome.Approved || event.outcome() instanceof GatewayOutcome.Declined;
        if (!refund && !settles) {
            return Target.ignored(event.tenantId(), "event type " + event.type() + " settles nothing Accrue tracks");
        }
        String tenantId = event.tenantId();
        Payment p = null;
        if (event.attemptKey() != null && tenantId != null) {
            // what Accrue put on the charge; another tenant's attempt id under this tenant finds nothing
            p = payments.find(tenantId, event.attemptKey()).orElse(null);
        } else if (event.reference() != null) {
            PaymentRepository.PaymentKey key = payments.findByGatewayReference(gateway.name(), event.reference()).orElse(null);
            if (key != null && (tenantId == null || key.tenantId().equals(tenantId))) {
                tenantId = key.tenantId();
                p = payments.find(key.tenantId(), key.paymentId()).orElse(null);
            }
        }
        if (p == null) {
            return Target.ignored(event.tenantId(), "no payment attempt of this gateway matches the event (another installation's, or made outside Accrue)");
        }
        return checked(event, tenantId, p);
    }

    private Target checked(GatewayEvent event, String tenantId, Payment p) {
        if (event.dispute() != null && !p.status().equals(Payment.SUCCEEDED)) {
            return Target.ignored(tenantId, "payment " + p.id() + " is " + p.status() + "; only money received can be disputed");
        }
        if (event.dispute() != null && !event.dispute().amount().currency().equals(p.amount().currency())) {
            return Target.ignored(tenantId, "dispute " + event.dispute().id() + " is in " + event.dispute().amount().currency() + ", payment " + p.id()
                    + " in " + p.amount().currency());
        }
        if (!gateway.name().equals(p.gateway())) {
            return Target.ignored(tenantId, "payment " + p.id() + " was not made through " + gateway.name());
        }
        if (p.gatewayReference() != null && event.reference() != null && !p.gatewayReference().equals(event.reference())) {
            return Target.ignored(tenantId, "payment " + p.id() + " is " + p.gatewayReference() + " at the gateway, not " + event.reference());
        }
        if (event.refundedTotal() == null && event.dispute() == null && p.invoiceId() == null && !p.purpose().equals(Payment.WALLET_RECHARGE)) {
            return Target.ignored(tenantId, "payment " + p.id() + " settles nothing collection tracks");
        }
        return new Target(tenantId, p, null);
    }
}

package dev.accrue.app.payment;

import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.payment.gateway.GatewayCharge;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.app.tx.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * The fallback for charges the gateway accepted as {@code processing} (bank debits: SEPA, BACS, ACH) whose webhook
 * never came: a recurring job asks the gateway ({@link PaymentGateway#lookup}, a read) about each charge processing
 * for longer than {@code after} — and about each at most once per {@code after} — and settles what it learns through
 * {@link GatewayEventIntake#settleLearned}, the code a webhook's outcome goes through. A webhook that arrives too
 * (before or after) settles nothing twice: settlement acts only on a payment still pending, under its row lock.
 */
public final class ProcessingPoller {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessingPoller.class);
    private final Transactions tx;
    private final PaymentRepository payments;
    private final PaymentMethodRepository methods;
    private final PaymentGateway gateway;
    private final GatewayEventIntake intake;
    private final CustomerTime time;
    private final Duration after;

    public ProcessingPoller(Transactions tx, PaymentRepository payments, PaymentMethodRepository methods, PaymentGateway gateway, GatewayEventIntake intake,
                            CustomerTime time, Duration after) {
        this.tx = tx;
        this.payments = payments;
        this.methods = methods;
        this.gateway = gateway;
        this.intake = intake;
        this.time = time;
        this.after = after;
    }

    /** Asks about up to {@code limit} charges processing too long; returns how many it settled. */
    public int runDue(int limit) {
        List<PaymentRepository.PaymentKey> due = tx.inTransaction(() -> payments.claimProcessing(gateway.name(), time.systemNow(), after, limit));
        int settled = 0;
        for (PaymentRepository.PaymentKey key : due) {
            try {
                settled += poll(key) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.error("Asking the gateway about processing payment {} of tenant {} failed; asked again in {}", key.paymentId(), key.tenantId(), after, e);
            }
        }
        return settled;
    }

    private boolean poll(PaymentRepository.PaymentKey key) {
        record Question(GatewayCharge charge, String reference) {
        }
        Question q = tx.inTransaction(() -> {
            Payment p = payments.find(key.tenantId(), key.paymentId()).orElseThrow();
            if (!p.status().equals(Payment.PENDING) || p.gatewayReference() == null) {
                return null;
            }
            PaymentMethod m = methods.find(key.tenantId(), p.customerId(), p.methodId()).orElseThrow();
            String gatewayCustomer = methods.gatewayCustomer(key.tenantId(), p.customerId(), gateway.name()).orElseThrow();
            return new Question(new GatewayCharge(m.token(), gatewayCustomer, p.amount(), null, p.id(), key.tenantId()), p.gatewayReference());
        });
        if (q == null) {
            return false;
        }
        GatewayOutcome outcome = gateway.lookup(q.charge(), q.reference());
        switch (outcome) {
            case GatewayOutcome.Approved approved -> intake.settleLearned(key.tenantId(), key.paymentId(), approved);
            case GatewayOutcome.Declined declined -> intake.settleLearned(key.tenantId(), key.paymentId(), declined);
            case GatewayOutcome.Processing processing -> {
                LOG.info("Payment {} is still processing at the gateway ({}); asked again in {}", key.paymentId(), q.reference(), after);
                return false;
            }
            case GatewayOutcome.Unreachable unreachable -> {
                LOG.warn("Could not ask the gateway about payment {} ({}); asked again in {}", key.paymentId(), unreachable.message(), after);
                return false;
            }
            case GatewayOutcome.NotFound notFound -> {
                LOG.error("The gateway does not know charge {} of payment {} it accepted as processing: {}", q.reference(), key.paymentId(), notFound.message());
                return false;
            }
        }
        return true;
    }
}

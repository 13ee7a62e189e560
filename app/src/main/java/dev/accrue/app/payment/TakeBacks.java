package dev.accrue.app.payment;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;

/**
 * The one place money given or taken back lowers what was paid on an invoice (docs/payments.md#refunds-and-disputes-lower-what-was-paid):
 * a succeeded refund, and a dispute while it is open or after it was lost. Both come off the invoice's
 * {@code amount_paid} — what the seller holds for it now — and are counted apart ({@code amount_refunded},
 * {@code amount_disputed}) so the invoice's payment status says why ({@code Invoice#paymentStatus}). Joins the
 * caller's transaction; the caller holds the customer's lock (refunds and disputes change a customer's money one at a
 * time, as collection does), and the invoice row is locked here.
 */
public final class TakeBacks {
    private final PaymentRepository payments;

    public TakeBacks(PaymentRepository payments) {
        this.payments = payments;
    }

    /**
     * A refund of {@code payment} succeeded: it gives back first what the payment applied to its invoice (what exceeds
     * that was an over-payment, credited to the customer, and lowers no invoice). Returns what it took off the invoice,
     * also kept on the refund.
     */
    public Money refunded(String tenantId, Payment payment, Refund refund) {
        Money none = Money.zero(refund.amount().currency());
        if (payment.invoiceId() == null || payment.applied() == null) {
            return none;
        }
        PaymentRepository.InvoiceAmounts invoice = payments.lockInvoice(tenantId, payment.invoiceId()).orElseThrow();
        Money appliedLeft = payment.applied().minus(Money.of(payments.refundedOffInvoice(tenantId, payment.id()), payment.applied().currency().getCurrencyCode()));
        Money take = least(least(refund.amount(), appliedLeft), invoice.paid());
        if (!take.isPositive()) {
            return none;
        }
        payments.takeOffInvoice(tenantId, invoice.invoiceId(), take.amount(), take.amount(), BigDecimal.ZERO);
        payments.recordRefundInvoiceAmount(tenantId, refund.id(), take.amount());
        return take;
    }

    /**
     * A dispute of {@code invoiceId}'s payment should now take {@code wanted} off it, and takes {@code taken} today:
     * moves the difference (never below nothing paid). Returns what it takes afterwards.
     */
    public Money disputeTakes(String tenantId, String invoiceId, Money taken, Money wanted) {
        if (invoiceId == null) {
            return Money.zero(wanted.currency());
        }
        PaymentRepository.InvoiceAmounts invoice = payments.lockInvoice(tenantId, invoiceId).orElseThrow();
        Money target = least(wanted, invoice.paid().plus(taken)); // what it may hold: what is paid now plus what it holds already
        Money delta = target.minus(taken);
        if (!delta.isZero()) {
            payments.takeOffInvoice(tenantId, invoiceId, delta.amount(), BigDecimal.ZERO, delta.amount());
        }
        return target;
    }

    private static Money least(Money a, Money b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

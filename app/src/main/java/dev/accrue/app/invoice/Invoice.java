package dev.accrue.app.invoice;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An invoice. {@code billingKey} names what it bills (a subscription period or a change) and is unique per
 * tenant, which is what makes billing runs idempotent. {@code number} is assigned at finalization. A proforma
 * carries its PRO number in both {@code number} and {@code proformaNumber}; once paid it becomes an invoice
 * with an INV {@code number} and keeps {@code proformaNumber} as the reference to the proforma it settles.
 */
public record Invoice(String id, String customerId, String subscriptionId, String billingKey, String number,
                      InvoiceStatus status, Money subtotal, Money total, LocalDate issueDate, LocalDate dueDate,
                      LocalDate periodStart, LocalDate periodEnd, Instant createdAt, Instant finalizedAt,
                      List<InvoiceLine> lines, String proformaNumber, Money amountPaid, Money amountRefunded, Money amountDisputed) {
    public static final String UNPAID = "unpaid";
    public static final String PARTIALLY_PAID = "partially_paid";
    public static final String PAID = "paid";
    public static final String PARTIALLY_REFUNDED = "partially_refunded";
    public static final String REFUNDED = "refunded";
    public static final String DISPUTED = "disputed";

    /** An invoice read with what was paid on it, before anything was taken back (no refunds, no disputes). */
    public Invoice(String id, String customerId, String subscriptionId, String billingKey, String number,
                   InvoiceStatus status, Money subtotal, Money total, LocalDate issueDate, LocalDate dueDate,
                   LocalDate periodStart, LocalDate periodEnd, Instant createdAt, Instant finalizedAt,
                   List<InvoiceLine> lines, String proformaNumber, Money amountPaid) {
        this(id, customerId, subscriptionId, billingKey, number, status, subtotal, total, issueDate, dueDate, periodStart, periodEnd,
                createdAt, finalizedAt, lines, proformaNumber, amountPaid, null, null);
    }

    /** An invoice as billing builds it: nothing paid on it yet ({@code amountPaid} is read back from payments). */
    public Invoice(String id, String customerId, String subscriptionId, String billingKey, String number,
                   InvoiceStatus status, Money subtotal, Money total, LocalDate issueDate, LocalDate dueDate,
                   LocalDate periodStart, LocalDate periodEnd, Instant createdAt, Instant finalizedAt,
                   List<InvoiceLine> lines, String proformaNumber) {
        this(id, customerId, subscriptionId, billingKey, number, status, subtotal, total, issueDate, dueDate, periodStart, periodEnd,
                createdAt, finalizedAt, lines, proformaNumber, null);
    }

    /** What was paid on it (automatic and manual payments); zero when unknown. */
    public Money paid() {
        return amountPaid == null ? Money.zero(total.currency()) : amountPaid;
    }

    /** What refunds gave back of what was paid on it (already off {@link #paid()}). */
    public Money refunded() {
        return amountRefunded == null ? Money.zero(total.currency()) : amountRefunded;
    }

    /** What disputes open or lost take off what was paid on it (already off {@link #paid()}; nothing once won). */
    public Money disputed() {
        return amountDisputed == null ? Money.zero(total.currency()) : amountDisputed;
    }

    /**
     * The one rule for {@code payment_status} (docs/payments.md#payment-status). A paid invoice stays {@code paid} in its
     * lifecycle when a refund takes money back — the seller's decision, it reopens nothing — so the payment status tells it: {@code disputed} while a dispute open or lost takes money off
     * (and the invoice was not paid in full again since: a lost dispute reopens it and it is collected again),
     * else {@code refunded} when refunds gave everything back, {@code partially_refunded} when part (what it holds is
     * below its total); a finalized invoice
     * is {@code partially_paid} while something is paid and something due (a refund there raises what is due: it is
     * owed again), and {@code unpaid} otherwise.
     */
    public String paymentStatus() {
        if (disputed().isPositive() && paid().compareTo(total) < 0) {
            return DISPUTED; // paid in full again after a lost dispute (collected again) is plainly paid, below
        }
        if (status == InvoiceStatus.PAID) {
            // paid again in full after a refund (a refund on a partly paid invoice, then a new payment) is plainly paid
            if (refunded().isPositive() && paid().compareTo(total) < 0) {
                return paid().isPositive() ? PARTIALLY_REFUNDED : REFUNDED;
            }
            return PAID;
        }
        return paid().isPositive() && amountDue().isPositive() ? PARTIALLY_PAID : UNPAID;
    }

    /** What it still owes: nothing once paid (or void, or written off), else the total less what was paid. */
    public Money amountDue() {
        if (status != InvoiceStatus.FINALIZED) {
            return status == InvoiceStatus.PROFORMA ? total : Money.zero(total.currency());
        }
        Money due = total.minus(paid());
        return due.isNegative() ? Money.zero(total.currency()) : due;
    }

    /** An invoice that never was a proforma. */
    public Invoice(String id, String customerId, String subscriptionId, String billingKey, String number,
                   InvoiceStatus status, Money subtotal, Money total, LocalDate issueDate, LocalDate dueDate,
                   LocalDate periodStart, LocalDate periodEnd, Instant createdAt, Instant finalizedAt,
                   List<InvoiceLine> lines) {
        this(id, customerId, subscriptionId, billingKey, number, status, subtotal, total, issueDate, dueDate, periodStart, periodEnd,
                createdAt, finalizedAt, lines, null);
    }
}

package dev.accrue.app.event;

import java.util.List;

/**
 * Every event type Accrue records, named {@code object.happening}. Webhook endpoints subscribe to these
 * names; an unknown name is refused ({@code unknown_event_type}). Add a type here, then record it where it
 * happens, then document it in docs/webhooks.md.
 */
public final class EventTypes {
    public static final String INVOICE_CREATED = "invoice.created";
    public static final String INVOICE_FINALIZED = "invoice.finalized";
    public static final String INVOICE_PAID = "invoice.paid";
    public static final String INVOICE_VOIDED = "invoice.voided";
    public static final String INVOICE_PAYMENT_FAILED = "invoice.payment_failed";
    /** A draft's lines were recomputed before it was numbered (POST /v1/invoices/{id}/regenerate); same id. */
    public static final String INVOICE_REGENERATED = "invoice.regenerated";
    public static final String PAYMENT_SUCCEEDED = "payment.succeeded";
    public static final String PAYMENT_FAILED = "payment.failed";
    public static final String PAYMENT_REFUNDED = "payment.refunded";
    public static final String PAYMENT_METHOD_ADDED = "payment_method.added";
    public static final String PAYMENT_METHOD_REMOVED = "payment_method.removed";
    public static final String CREDIT_NOTE_CREATED = "credit_note.created";
    public static final String SUBSCRIPTION_CREATED = "subscription.created";
    public static final String SUBSCRIPTION_CHANGED = "subscription.changed";
    public static final String SUBSCRIPTION_CANCELLED = "subscription.cancelled";
    public static final String SUBSCRIPTION_RENEWING = "subscription.renewing";
    public static final String SUBSCRIPTION_TRIAL_ENDING = "subscription.trial_ending";
    public static final String SUBSCRIPTION_DOWNGRADE_EFFECTIVE = "subscription.downgrade_effective";
    /** The notice of a price migration: the subscription moves to a newer catalog version's prices on {@code moves_on}. */
    public static final String SUBSCRIPTION_PRICE_CHANGE_SCHEDULED = "subscription.price_change_scheduled";
    public static final String CUSTOMER_SUSPENDED = "customer.suspended";
    public static final String CUSTOMER_REINSTATED = "customer.reinstated";
    public static final String USAGE_THRESHOLD_REACHED = "usage.threshold_reached";
    public static final String USAGE_OVERAGE_PROJECTED = "usage.overage_projected";
    public static final String BUDGET_THRESHOLD_REACHED = "budget.threshold_reached";
    public static final String WALLET_LOW = "wallet.low";
    public static final String WALLET_RECHARGED = "wallet.recharged";
    public static final String NUMBER_ON_HOLD = "number.on_hold";
    public static final String NUMBER_REACTIVATED = "number.reactivated";
    public static final String WEBHOOK_ENDPOINT_DISABLED = "webhook_endpoint.disabled";
    /** The payer's bank disputed a payment (a chargeback): the disputed amount is off the invoice's amount_paid while open. */
    public static final String PAYMENT_DISPUTED = "payment.disputed";
    /** A dispute ended: won (the amount is restored) or lost (it stays off what was paid). */
    public static final String DISPUTE_CLOSED = "dispute.closed";

    public static final List<String> ALL = List.of(INVOICE_CREATED, INVOICE_FINALIZED, INVOICE_PAID, INVOICE_VOIDED, INVOICE_PAYMENT_FAILED,
            PAYMENT_SUCCEEDED, PAYMENT_FAILED, PAYMENT_REFUNDED, PAYMENT_METHOD_ADDED, PAYMENT_METHOD_REMOVED, CREDIT_NOTE_CREATED,
            SUBSCRIPTION_CREATED, SUBSCRIPTION_CHANGED, SUBSCRIPTION_CANCELLED, SUBSCRIPTION_RENEWING, SUBSCRIPTION_TRIAL_ENDING,
            SUBSCRIPTION_DOWNGRADE_EFFECTIVE, CUSTOMER_SUSPENDED, CUSTOMER_REINSTATED, USAGE_THRESHOLD_REACHED, USAGE_OVERAGE_PROJECTED,
            BUDGET_THRESHOLD_REACHED, WALLET_LOW, WALLET_RECHARGED, NUMBER_ON_HOLD, NUMBER_REACTIVATED, WEBHOOK_ENDPOINT_DISABLED,
            PAYMENT_DISPUTED, DISPUTE_CLOSED,
            SUBSCRIPTION_PRICE_CHANGE_SCHEDULED, INVOICE_REGENERATED);

    private EventTypes() {
    }

    public static boolean known(String type) {
        return ALL.contains(type);
    }
}

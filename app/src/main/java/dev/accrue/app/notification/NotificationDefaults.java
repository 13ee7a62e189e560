package dev.accrue.app.notification;

import dev.accrue.app.event.EventTypes;

import java.util.Set;

/**
 * The channels an event type reaches when nobody has chosen. Customers hear, in the app and by email, what asks
 * something of them or changes their service: a renewal or trial end coming, a payment failed, usage or budget
 * thresholds, a low wallet, a suspension, a number on hold, a downgrade taking effect. An invoice available is in
 * the app only (invoice emails are the seller's email_invoices setting; a customer can opt in here). Operational
 * events (drafts, subscription bookkeeping) reach nobody unless chosen.
 */
public final class NotificationDefaults {
    static final Set<String> IN_APP = Set.of(EventTypes.INVOICE_FINALIZED, EventTypes.INVOICE_PAID, EventTypes.INVOICE_PAYMENT_FAILED,
            EventTypes.PAYMENT_SUCCEEDED, EventTypes.PAYMENT_FAILED, EventTypes.PAYMENT_REFUNDED, EventTypes.CREDIT_NOTE_CREATED,
            EventTypes.SUBSCRIPTION_RENEWING, EventTypes.SUBSCRIPTION_TRIAL_ENDING, EventTypes.SUBSCRIPTION_DOWNGRADE_EFFECTIVE,
            EventTypes.SUBSCRIPTION_CANCELLED, EventTypes.CUSTOMER_SUSPENDED, EventTypes.CUSTOMER_REINSTATED, EventTypes.USAGE_THRESHOLD_REACHED,
            EventTypes.USAGE_OVERAGE_PROJECTED, EventTypes.BUDGET_THRESHOLD_REACHED, EventTypes.WALLET_LOW, EventTypes.NUMBER_ON_HOLD,
            EventTypes.NUMBER_REACTIVATED, EventTypes.WEBHOOK_ENDPOINT_DISABLED, EventTypes.SUBSCRIPTION_PRICE_CHANGE_SCHEDULED);
    static final Set<String> EMAIL = Set.of(EventTypes.INVOICE_PAYMENT_FAILED, EventTypes.PAYMENT_FAILED, EventTypes.SUBSCRIPTION_RENEWING,
            EventTypes.SUBSCRIPTION_TRIAL_ENDING, EventTypes.SUBSCRIPTION_DOWNGRADE_EFFECTIVE, EventTypes.CUSTOMER_SUSPENDED,
            EventTypes.CUSTOMER_REINSTATED, EventTypes.USAGE_THRESHOLD_REACHED, EventTypes.USAGE_OVERAGE_PROJECTED, EventTypes.BUDGET_THRESHOLD_REACHED,
            EventTypes.WALLET_LOW, EventTypes.NUMBER_ON_HOLD, EventTypes.WEBHOOK_ENDPOINT_DISABLED, EventTypes.SUBSCRIPTION_PRICE_CHANGE_SCHEDULED);

    private NotificationDefaults() {
    }

    public static ChannelPreference of(String type) {
        return new ChannelPreference(type, EMAIL.contains(type), IN_APP.contains(type), false);
    }
}

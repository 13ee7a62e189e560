package dev.accrue.app.event;

import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.Subscription;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The events Accrue records, built from the objects they are about, so that each place a change happens records
 * its event in one line. The data is the public shape webhooks carry (docs/webhooks.md): snake_case keys, money as
 * plain decimal strings with a currency, dates as ISO strings; never internal records.
 */
public final class EventSnapshots {
    private EventSnapshots() {
    }

    public static DomainEvent invoice(String type, Invoice i, Instant at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("number", i.number());
        d.put("status", i.status().name().toLowerCase(Locale.ROOT));
        d.put("subscription_id", i.subscriptionId());
        d.put("currency", i.total().currency().getCurrencyCode());
        d.put("subtotal", i.subtotal().toPlainMinorString());
        d.put("total", i.total().toPlainMinorString());
        d.put("issue_date", text(i.issueDate()));
        d.put("due_date", text(i.dueDate()));
        d.put("period_start", text(i.periodStart()));
        d.put("period_end", text(i.periodEnd()));
        return event(type, "invoice", i.id(), i.customerId(), d, at);
    }

    public static DomainEvent creditNote(CreditNote n, Instant at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("number", n.number());
        d.put("invoice_id", n.invoiceId());
        d.put("invoice_number", n.invoiceNumber());
        d.put("currency", n.total().currency().getCurrencyCode());
        d.put("total", n.total().toPlainMinorString());
        d.put("reason", n.reason());
        d.put("resolution", n.resolution());
        d.put("issue_date", text(n.issueDate()));
        return event(EventTypes.CREDIT_NOTE_CREATED, "credit_note", n.id(), n.customerId(), d, at);
    }

    /** A subscription event; {@code extra} adds what the type is about (the previous plan, the date a reminder names). */
    public static DomainEvent subscription(String type, Subscription s, Instant at, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("plan", s.planCode());
        d.put("interval", s.interval().wire());
        d.put("quantity", s.quantity());
        d.put("start_date", text(s.startDate()));
        d.put("trial_end", text(s.trialEnd()));
        d.put("next_bill_date", text(s.nextBillDate()));
        d.put("pending_plan", s.pendingPlanCode());
        d.put("cancel_at_period_end", s.cancelAtPeriodEnd());
        d.put("ended_on", text(s.endedOn()));
        d.put("suspended_on", text(s.suspendedOn()));
        extra.forEach(d::put);
        return event(type, "subscription", s.id(), s.customerId(), d, at);
    }

    /**
     * The event of a subscription change named by its audit action: a suspension or reinstatement is the
     * customer's ({@code customer.suspended}/{@code customer.reinstated}), an ending is {@code subscription.cancelled},
     * anything else {@code subscription.changed} with the action in {@code change}.
     */
    public static DomainEvent subscriptionMutation(String action, Subscription after, Instant at) {
        if (action.equals("subscription.cancel_scheduled") && after.endedOn() != null) {
            return subscription(EventTypes.SUBSCRIPTION_CANCELLED, after, at, Map.of("effective_on", text(after.endedOn())));
        }
        return switch (action) {
            case "subscription.suspended" -> suspension(EventTypes.CUSTOMER_SUSPENDED, after, at);
            case "subscription.reinstated" -> suspension(EventTypes.CUSTOMER_REINSTATED, after, at);
            case "subscription.ended" -> subscription(EventTypes.SUBSCRIPTION_CANCELLED, after, at, Map.of("effective_on", text(after.endedOn())));
            default -> subscription(EventTypes.SUBSCRIPTION_CHANGED, after, at, Map.of("change", action.substring(action.indexOf('.') + 1)));
        };
    }

    /** customer.suspended / customer.reinstated: service of one of the customer's subscriptions stopped or resumed. */
    public static DomainEvent suspension(String type, Subscription s, Instant at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("subscription_id", s.id());
        d.put("suspended_on", text(s.suspendedOn()));
        return event(type, "customer", s.customerId(), s.customerId(), d, at);
    }

    /** number.on_hold / number.reactivated. */
    public static DomainEvent number(String type, String customerId, String subscriptionId, String numberId, String number, String reason,
                                     Instant at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("number", number);
        d.put("subscription_id", subscriptionId);
        d.put("reason", reason);
        return event(type, "phone_number", numberId, customerId, d, at);
    }

    /** wallet.low: the prepaid balance fell below the wallet's threshold. */
    public static DomainEvent walletLow(String customerId, Money balance, Money threshold, Instant at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("currency", balance.currency().getCurrencyCode());
        d.put("balance", balance.toPlainMinorString());
        d.put("threshold", threshold.toPlainMinorString());
        return event(EventTypes.WALLET_LOW, "wallet", customerId, customerId, d, at);
    }

    /** Keys whose value is unknown are left out (an outbox event's data holds no nulls). */
    private static DomainEvent event(String type, String objectType, String objectId, String customerId, Map<String, Object> data, Instant at) {
        data.values().removeIf(Objects::isNull);
        return new DomainEvent(Ids.next("evt"), type, objectType, objectId, customerId, data, at);
    }

    private static String text(LocalDate date) {
        return date == null ? null : date.toString();
    }
}

package dev.accrue.app.subscription;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.ChangeQuote;
import dev.accrue.core.subscription.Subscription;

/**
 * The outcome of a plan change (or of its preview): the quote with its lines and total, the subscription
 * after the change, and the invoice issued at once when the plan invoices prorations immediately.
 */
public record ChangeResult(ChangeQuote quote, Money total, boolean invoicedNow, Subscription subscription, Invoice invoice) {
}

package dev.accrue.app.lifecycle;

import dev.accrue.core.error.AccrueException;

/**
 * A tenant's data retention. {@code usageDaysAfterInvoiced}: raw usage events are dropped this many days after the
 * usage window they fall in was invoiced (and never inside the tenant's event lateness window, so a replayed event
 * is refused as late rather than counted again); the daily aggregates, what each document billed and the invoices
 * stay. {@code customerDaysAfterCancellation}: once a customer's last subscription ended, their data is kept this
 * many days (30–90, as the vendors' help pages promise their customers) and then erased, except what tax law keeps.
 */
public record RetentionSettings(int usageDaysAfterInvoiced, int customerDaysAfterCancellation) {
    public static final RetentionSettings DEFAULT = new RetentionSettings(90, 90);
    public static final int MAX_USAGE_DAYS = 3650;
    public static final int MIN_CUSTOMER_DAYS = 30;
    public static final int MAX_CUSTOMER_DAYS = 90;

    public RetentionSettings {
        if (usageDaysAfterInvoiced < 0 || usageDaysAfterInvoiced > MAX_USAGE_DAYS) {
            throw AccrueException.invalid("usage_days_after_invoiced", "usage_days_after_invoiced must be 0-" + MAX_USAGE_DAYS + ", got " + usageDaysAfterInvoiced);
        }
        if (customerDaysAfterCancellation < MIN_CUSTOMER_DAYS || customerDaysAfterCancellation > MAX_CUSTOMER_DAYS) {
            throw AccrueException.invalid("customer_days_after_cancellation", "customer_days_after_cancellation must be " + MIN_CUSTOMER_DAYS + "-"
                    + MAX_CUSTOMER_DAYS + ", got " + customerDaysAfterCancellation);
        }
    }
}

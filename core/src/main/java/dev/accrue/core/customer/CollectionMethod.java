package dev.accrue.core.customer;

import java.util.Locale;

/** How invoices get paid: charged to the default payment method, or paid by the customer (transfer, direct debit). */
public enum CollectionMethod {
    AUTO_PAY,
    MANUAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

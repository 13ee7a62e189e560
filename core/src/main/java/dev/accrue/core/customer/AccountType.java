package dev.accrue.core.customer;

import java.util.Locale;

/** Prepaid accounts draw down a wallet (statements owe 0); postpaid accounts are invoiced and pay later. */
public enum AccountType {
    PREPAID,
    POSTPAID;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

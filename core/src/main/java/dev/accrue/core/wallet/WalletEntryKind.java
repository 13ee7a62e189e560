package dev.accrue.core.wallet;

import java.util.Locale;

/** Why money moved: a top-up credits; usage drawn in real time and invoices paid from the wallet debit; adjustments go either way. */
public enum WalletEntryKind {
    TOP_UP, USAGE, INVOICE, ADJUSTMENT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WalletEntryKind fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}

package dev.accrue.app.document;

import java.util.Locale;

/** The kinds of document Accrue issues; each has a title, a template section and its own PDF route. */
public enum DocumentKind {
    INVOICE("Invoice"), PROFORMA("Proforma invoice"), RECEIPT("Receipt"), STATEMENT("Statement"), PAYMENT_RECEIPT("Payment receipt"), CREDIT_NOTE("Credit note");

    private final String title;

    DocumentKind(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DocumentKind fromWire(String wire) {
        for (DocumentKind k : values()) {
            if (k.wire().equals(wire)) {
                return k;
            }
        }
        return null;
    }
}

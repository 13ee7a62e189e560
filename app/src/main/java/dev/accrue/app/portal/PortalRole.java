package dev.accrue.app.portal;

import java.util.Locale;

/**
 * What a customer's user may do in the portal. MEMBER sees the plan summary and usage; ADMIN also invoices,
 * plans and add-ons, numbers, the wallet and cancellation. The server enforces it on every route.
 */
public enum PortalRole {
    ADMIN,
    MEMBER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PortalRole fromWire(String text) {
        for (PortalRole r : values()) {
            if (r.wire().equals(text)) {
                return r;
            }
        }
        return null;
    }
}

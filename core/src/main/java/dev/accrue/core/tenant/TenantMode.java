package dev.accrue.core.tenant;

import java.util.Locale;

/** Live tenants bill real customers; sandbox tenants may use test clocks and never move real money. */
public enum TenantMode {
    LIVE,
    SANDBOX;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TenantMode fromWire(String text) {
        for (TenantMode m : values()) {
            if (m.wire().equals(text)) {
                return m;
            }
        }
        return null;
    }
}

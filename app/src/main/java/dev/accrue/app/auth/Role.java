package dev.accrue.app.auth;

import java.util.Locale;

/** What a credential may do. ADMIN may read and change everything of its tenant; READ_ONLY may only read. */
public enum Role {
    ADMIN,
    READ_ONLY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String text) {
        for (Role r : values()) {
            if (r.wire().equals(text)) {
                return r;
            }
        }
        return null;
    }
}

package dev.accrue.app.console;

import java.util.Locale;

/**
 * What a member of the tenant's staff may do in the console. Every role reads; SUPPORT also changes plans on
 * a customer's behalf; FINANCE also issues credit notes and records manual payments; ADMIN everything. Checked by the server on each route.
 */
public enum StaffRole {
    ADMIN,
    FINANCE,
    SUPPORT,
    READ_ONLY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean canChangePlans() {
        return this != READ_ONLY;
    }

    public boolean canIssueCredit() {
        return this == ADMIN || this == FINANCE;
    }

    /** Recording money received outside the gateway moves the books like a credit note does: finance and admin only. */
    public boolean canRecordPayments() {
        return this == ADMIN || this == FINANCE;
    }

    public static StaffRole fromWire(String text) {
        for (StaffRole r : values()) {
            if (r.wire().equals(text)) {
                return r;
            }
        }
        return null;
    }
}

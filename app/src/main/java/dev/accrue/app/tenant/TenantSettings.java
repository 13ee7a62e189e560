package dev.accrue.app.tenant;

import dev.accrue.core.error.AccrueException;

import java.math.RoundingMode;
import java.util.Locale;

/**
 * A tenant's billing settings. {@code invoiceGraceHours}: how long a new invoice stays a draft before it is
 * finalized and numbered (0 = at once), so late items can still land on it. {@code roundingMode}: how each
 * invoice line is rounded to the currency's minor unit (HALF_UP by default).
 */
public record TenantSettings(int invoiceGraceHours, RoundingMode roundingMode) {
    public static final TenantSettings DEFAULT = new TenantSettings(0, RoundingMode.HALF_UP);
    public static final int MAX_GRACE_HOURS = 720;

    public TenantSettings {
        if (invoiceGraceHours < 0 || invoiceGraceHours > MAX_GRACE_HOURS) {
            throw AccrueException.invalid("invoice_grace_hours", "invoice_grace_hours must be 0-" + MAX_GRACE_HOURS + ", got " + invoiceGraceHours);
        }
        if (roundingMode == null || roundingMode == RoundingMode.UNNECESSARY) {
            throw AccrueException.invalid("rounding_mode", "rounding_mode must be one of half_up, half_even, half_down, up, down, ceiling, floor");
        }
    }

    public static RoundingMode parseMode(String wire) {
        if (wire == null) {
            return null;
        }
        try {
            RoundingMode mode = RoundingMode.valueOf(wire.toUpperCase(Locale.ROOT));
            return mode == RoundingMode.UNNECESSARY ? null : mode;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String roundingModeWire() {
        return roundingMode.name().toLowerCase(Locale.ROOT);
    }
}

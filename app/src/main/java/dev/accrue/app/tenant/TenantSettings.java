package dev.accrue.app.tenant;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.subscription.StartWindow;

import java.math.RoundingMode;
import java.util.Locale;

/**
 * A tenant's billing settings. {@code invoiceGraceHours}: how long a new invoice stays a draft before it is
 * finalized and numbered (0 = at once), so late items can still land on it. {@code roundingMode}: how each
 * invoice line is rounded to the currency's minor unit (HALF_UP by default). Usage events older than
 * {@code eventLatenessDays} (default 35) or measuring more than {@code maxEventQuantity} are refused.
 * {@code taxRate} (a fraction, 0.20 = 20 %) is the VAT charged on wallet top-ups. {@code startWindow} bounds how far a
 * subscription may start in the past or future. {@code apiRequestsPerSecond} is each API key's request rate (null: the
 * node's default).
 */
public record TenantSettings(int invoiceGraceHours, RoundingMode roundingMode, int eventLatenessDays, java.math.BigDecimal maxEventQuantity,
                             java.math.BigDecimal taxRate, StartWindow startWindow, Integer apiRequestsPerSecond) {
    public static final TenantSettings DEFAULT = new TenantSettings(0, RoundingMode.HALF_UP, 35, new java.math.BigDecimal("1000000000"),
            java.math.BigDecimal.ZERO, StartWindow.DEFAULT, null);
    public static final int MAX_REQUESTS_PER_SECOND = 1_000_000;
    public static final int MAX_GRACE_HOURS = 720;

    public TenantSettings {
        if (invoiceGraceHours < 0 || invoiceGraceHours > MAX_GRACE_HOURS) {
            throw AccrueException.invalid("invoice_grace_hours", "invoice_grace_hours must be 0-" + MAX_GRACE_HOURS + ", got " + invoiceGraceHours);
        }
        if (eventLatenessDays < 0 || eventLatenessDays > 400) {
            throw AccrueException.invalid("event_lateness_days", "event_lateness_days must be 0-400, got " + eventLatenessDays);
        }
        if (maxEventQuantity == null || maxEventQuantity.signum() <= 0) {
            throw AccrueException.invalid("max_event_quantity", "max_event_quantity must be greater than zero");
        }
        if (taxRate == null || taxRate.signum() < 0 || taxRate.compareTo(java.math.BigDecimal.ONE) >= 0) {
            throw AccrueException.invalid("tax_rate", "tax_rate is a fraction from 0 up to (not including) 1, e.g. 0.20 for 20 %");
        }
        if (startWindow == null) {
            throw new IllegalArgumentException("startWindow");
        }
        if (apiRequestsPerSecond != null && (apiRequestsPerSecond < 1 || apiRequestsPerSecond > MAX_REQUESTS_PER_SECOND)) {
            throw AccrueException.invalid("api_requests_per_second", "api_requests_per_second must be 1-" + MAX_REQUESTS_PER_SECOND + " (or null for the node's default)");
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

package dev.accrue.core.subscription;

import dev.accrue.core.invoice.InvoiceLine;

import java.time.LocalDate;
import java.util.List;

/**
 * What a plan change does: take effect now with prorated {@code lines} (an upgrade), or wait for
 * {@code effectiveOn}, the end of the current period (a downgrade, or an upgrade asked for next period).
 * Preview and the real change both come from this one computation.
 */
public record ChangeQuote(Timing timing, LocalDate effectiveOn, List<InvoiceLine> lines) {
    public enum Timing { IMMEDIATE, AT_PERIOD_END }
}

package dev.accrue.app.creditnote;

import java.math.BigDecimal;
import java.util.List;

/**
 * What to credit: with {@code lines}, each names an invoice line (1-based) and optionally an amount (default: what
 * that line can still be credited); without, the invoice as a whole — {@code amount}, or all that can still be
 * credited. {@code currency}, when given, must be the invoice's.
 */
public record CreditNoteRequest(String reason, String currency, BigDecimal amount, List<LineRequest> lines) {
    public record LineRequest(Integer line, BigDecimal amount) {
    }
}

package dev.accrue.app.creditnote;

import dev.accrue.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A credit note: its own document, numbered in the tenant's gapless {@code CN-…} series when it is created,
 * correcting a finalized invoice that itself never changes. {@code resolution} says where the credited money went:
 * {@code credit} (the customer's credit balance, consumed by the next invoices) — the only one until payments
 * exist, when {@code refund} will join it.
 */
public record CreditNote(String id, String number, String invoiceId, String invoiceNumber, String customerId, Money total, String reason,
                         String resolution, LocalDate issueDate, Instant createdAt, List<Line> lines) {
    public static final String RESOLUTION_CREDIT = "credit";

    /** One credited amount; {@code invoiceLine} is the invoice line's 1-based number, null for a credit of the invoice as a whole. */
    public record Line(Integer invoiceLine, String description, Money amount) {
    }
}

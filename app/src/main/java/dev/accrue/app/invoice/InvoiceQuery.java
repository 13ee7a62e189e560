package dev.accrue.app.invoice;

import java.time.LocalDate;

/** Invoice list filters; null means any. {@code periodFrom}/{@code periodTo} select invoices whose issue date falls in [from, to). */
public record InvoiceQuery(String customerId, String subscriptionId, String status, LocalDate periodFrom, LocalDate periodTo) {
}

package dev.accrue.app.oneoff;

import dev.accrue.core.money.Money;
import dev.accrue.core.tax.TaxCategory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A charge outside the catalog (a manual charge, a professional-services fee): {@code quantity} × {@code unitPrice}, rounded
 * once to {@code amount}. {@code invoicing} is {@code now} (its own invoice, {@code invoiceId}) or {@code next_invoice} (parked
 * on the subscription's next regular invoice). {@code serviceDate} is the customer's day it was charged.
 */
public record OneOffCharge(String id, String customerId, String subscriptionId, String description, BigDecimal quantity, Money unitPrice,
                           Money amount, TaxCategory taxCategory, String invoicing, String invoiceId, LocalDate serviceDate, Instant createdAt) {
    public static final String NOW = "now";
    public static final String NEXT_INVOICE = "next_invoice";
}

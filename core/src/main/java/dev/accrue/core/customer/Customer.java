package dev.accrue.core.customer;

import dev.accrue.core.tax.TaxStatus;
import dev.accrue.core.time.Alignment;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * A billing account of a tenant's customer. {@code timeZone} is where its billing dates fall (a period
 * boundary is local midnight there); {@code alignment} is the preferred cycle alignment for new
 * subscriptions when the plan allows either. {@code testClockId} (sandbox only) puts the customer on a test
 * clock's simulated time. {@code version} increases on every update.
 * {@code taxStatus} and the billing address's country (and region) decide the taxes of its documents;
 * {@code taxId} is, for a customer in an EU member state, a well-formed VAT id of that state.
 * {@code billingCycleDay} (1–31, or null) is the day of the month its new monthly-based subscriptions bill on when they
 * ask for neither an alignment nor a day.
 * {@code parentId} (or null) is the account that pays for this one (an account hierarchy: a reseller, an enterprise);
 * {@code invoicing} (null without a parent) says how: {@link ChildInvoicing#SEPARATE}, the child is invoiced on its own
 * documents and the parent pays them, or {@link ChildInvoicing#CONSOLIDATED}, its charges go on the parent's invoice.
 * See docs/billing.md#account-hierarchies.
 */
public record Customer(
        String id,
        String externalId,
        String legalName,
        List<String> billingEmails,
        BillingAddress billingAddress,
        Currency currency,
        ZoneId timeZone,
        String taxId,
        TaxStatus taxStatus,
        Alignment alignment,
        PaymentTerms paymentTerms,
        AccountType accountType,
        Map<String, String> metadata,
        String testClockId,
        Instant createdAt,
        Instant updatedAt,
        int version,
        Integer billingCycleDay,
        String parentId,
        ChildInvoicing invoicing) {

    /** The account whose payment methods and terms settle this account's invoices: its parent, else itself. */
    public String payerId() {
        return parentId == null ? id : parentId;
    }

    /**
     * The one rule of whose invoice this account's charges go on: a consolidated child's on its parent's consolidated
     * invoice (a section under its name), every other account's on its own.
     */
    public String invoicedToId() {
        return parentId != null && invoicing == ChildInvoicing.CONSOLIDATED ? parentId : id;
    }
}

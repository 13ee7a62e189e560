package dev.accrue.core.customer;

import java.util.List;
import java.util.Map;

/**
 * Customer fields as a client sent them, before validation. Every field is nullable here; {@link CustomerRules}
 * decides which are required, which have defaults, and what is well-formed.
 */
public record CustomerDraft(
        String externalId,
        String legalName,
        List<String> billingEmails,
        AddressDraft billingAddress,
        String currency,
        String timeZone,
        String taxId,
        String taxStatus,
        String alignment,
        TermsDraft paymentTerms,
        String accountType,
        Map<String, String> metadata,
        String testClockId,
        Integer billingCycleDay,
        String parentId,
        String invoicing) {

    public CustomerDraft(String externalId, String legalName, List<String> billingEmails, AddressDraft billingAddress, String currency,
                         String timeZone, String taxId, String taxStatus, String alignment, TermsDraft paymentTerms, String accountType,
                         Map<String, String> metadata, String testClockId, Integer billingCycleDay) {
        this(externalId, legalName, billingEmails, billingAddress, currency, timeZone, taxId, taxStatus, alignment, paymentTerms, accountType,
                metadata, testClockId, billingCycleDay, null, null);
    }

    public CustomerDraft(String externalId, String legalName, List<String> billingEmails, AddressDraft billingAddress, String currency,
                         String timeZone, String taxId, String taxStatus, String alignment, TermsDraft paymentTerms, String accountType,
                         Map<String, String> metadata, String testClockId) {
        this(externalId, legalName, billingEmails, billingAddress, currency, timeZone, taxId, taxStatus, alignment, paymentTerms, accountType,
                metadata, testClockId, null, null, null);
    }

    public record AddressDraft(String line1, String line2, String city, String region, String postalCode, String country) {
    }

    public record TermsDraft(String collectionMethod, Integer netDays) {
    }
}

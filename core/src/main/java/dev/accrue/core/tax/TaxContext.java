package dev.accrue.core.tax;

import java.util.Objects;

/**
 * Everything about the parties a document's tax depends on: the seller's country and price mode and rates table,
 * the customer's jurisdiction (from its billing address; null when it has none, which collects no tax), tax
 * status and tax id.
 */
public record TaxContext(String sellerCountry, PriceMode prices, TaxRates rates, Jurisdiction customer, TaxStatus status, String customerTaxId) {
    public TaxContext {
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(status, "status");
    }

    /**
     * EU reverse charge applies to a business customer whose well-formed VAT id is of another member state than
     * the seller's, when both are in the EU: the customer accounts for the VAT, the invoice carries 0 %.
     */
    public boolean reverseCharge() {
        if (status != TaxStatus.BUSINESS || customer == null || !EuVat.memberState(sellerCountry)
                || !EuVat.memberState(customer.country()) || sellerCountry.equals(customer.country())) {
            return false;
        }
        return VatIds.wellFormed(customerTaxId)
                && VatIds.memberStateOf(customerTaxId).filter(customer.country()::equals).isPresent();
    }
}

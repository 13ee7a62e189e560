package dev.accrue.core.tax;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;

/**
 * One tax of a document: {@code tax} of the tax named {@code type} at {@code rate} on {@code taxable} (the net
 * amount of the charges at that rate), in {@code jurisdiction}. {@code note} is the legal mention a 0 % line needs
 * (reverse charge, exemption); null otherwise. {@code included}: the tax is part of the tax-inclusive prices charged
 * (the document's charge lines already hold it), not added on top of them. {@code vatCategory} is its EN 16931 category.
 */
public record TaxLine(String type, BigDecimal rate, Jurisdiction jurisdiction, TaxCategory category, Money taxable, Money tax, String note,
                      boolean included, VatCategory vatCategory) {

    /** "VAT 20 %", "VAT 20 % included", "VAT 0 % — Reverse charge — …": the description an invoice line shows. */
    public String description() {
        String percent = rate.movePointRight(2).stripTrailingZeros().toPlainString();
        return type + " " + percent + " %" + (included ? " included" : "") + (note == null ? "" : " — " + note);
    }
}

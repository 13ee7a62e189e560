package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;

import java.util.Locale;

/**
 * A customer's standing for tax. {@code TAXABLE}: a consumer (or a business treated like one) pays the rate of
 * its jurisdiction. {@code EXEMPT}: pays no tax at all (charities, public bodies with a certificate).
 * {@code BUSINESS}: a registered business; with a valid VAT id in another EU member state than the seller, EU VAT
 * is reverse-charged, otherwise it is taxed like {@code TAXABLE}.
 */
public enum TaxStatus {
    TAXABLE, EXEMPT, BUSINESS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaxStatus parse(String value) {
        if (value == null) {
            return TAXABLE;
        }
        for (TaxStatus s : values()) {
            if (s.wire().equals(value)) {
                return s;
            }
        }
        throw AccrueException.invalid("tax_status", "tax_status is one of taxable, exempt, business; got '" + value + "'");
    }
}

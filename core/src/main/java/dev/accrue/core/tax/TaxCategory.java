package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;

import java.util.Locale;

/**
 * What kind of supply a charge is, for tax: the catalog sets it per charge ({@code tax_category}), and each
 * jurisdiction's table says what rate it carries there. {@code EXEMPT} is 0 % everywhere without a table entry;
 * any other category a jurisdiction does not list falls back to its {@code STANDARD} rate.
 */
public enum TaxCategory {
    STANDARD, REDUCED, EXEMPT, TELECOM_REGULATORY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaxCategory parse(String value) {
        if (value == null) {
            return STANDARD;
        }
        for (TaxCategory c : values()) {
            if (c.wire().equals(value)) {
                return c;
            }
        }
        throw AccrueException.invalid("tax_category", "tax_category is one of standard, reduced, exempt, telecom_regulatory; got '" + value + "'");
    }
}

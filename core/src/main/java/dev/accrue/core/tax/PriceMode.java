package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;

import java.util.Locale;

/**
 * Whether a tenant's catalog prices exclude tax (B2B habit: tax is added on top) or include it (B2C habit in the
 * EU: the price shown is what is paid, and the tax is the part of it the rate implies).
 */
public enum PriceMode {
    TAX_EXCLUSIVE, TAX_INCLUSIVE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PriceMode parse(String value) {
        if (value == null) {
            return TAX_EXCLUSIVE;
        }
        for (PriceMode m : values()) {
            if (m.wire().equals(value)) {
                return m;
            }
        }
        throw AccrueException.invalid("prices", "prices is tax_exclusive or tax_inclusive; got '" + value + "'");
    }
}

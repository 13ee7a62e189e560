package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One row of a rates table: in {@code jurisdiction}, charges of {@code category} carry {@code rate} (a fraction,
 * 0.20 = 20 %) of the tax named {@code type} (VAT, GST, sales tax…), the name printed on the tax line.
 */
public record TaxRate(Jurisdiction jurisdiction, TaxCategory category, String type, BigDecimal rate) {

    public TaxRate {
        Objects.requireNonNull(jurisdiction, "jurisdiction");
        Objects.requireNonNull(category, "category");
        if (type == null || type.isBlank() || type.length() > 40) {
            throw AccrueException.invalid("type", "A tax rate needs a type name (VAT, GST, sales tax) of at most 40 characters");
        }
        if (rate == null || rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) >= 0) {
            throw AccrueException.invalid("rate", "A tax rate is a fraction from 0 up to (not including) 1, e.g. 0.20 for 20 %; got " + rate);
        }
        rate = rate.stripTrailingZeros();
    }
}

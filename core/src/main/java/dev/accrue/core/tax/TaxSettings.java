package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A tenant's tax configuration, as data. {@code sellerCountry} is where the tenant is established (ISO alpha-2);
 * null means the tenant collects no tax and its documents carry no tax lines. {@code prices} says whether catalog
 * prices include tax. {@code rateEdits} are the tenant's own rows over the shipped table ({@link EuVat#defaultRates()}):
 * a row for a (jurisdiction, category) the table has replaces it, any other row is added.
 */
public record TaxSettings(String sellerCountry, PriceMode prices, List<TaxRate> rateEdits) {
    public static final TaxSettings NONE = new TaxSettings(null, PriceMode.TAX_EXCLUSIVE, List.of());

    public TaxSettings {
        if (sellerCountry != null) {
            if (!sellerCountry.matches("[A-Za-z]{2}")) {
                throw AccrueException.invalid("seller_country", "seller_country is an ISO 3166-1 alpha-2 code such as FR, got '" + sellerCountry + "'");
            }
            sellerCountry = sellerCountry.toUpperCase(Locale.ROOT);
        }
        Objects.requireNonNull(prices, "prices");
        rateEdits = List.copyOf(rateEdits);
        new TaxRates(rateEdits); // refuses two rows for the same jurisdiction and category
    }

    public boolean collectsTax() {
        return sellerCountry != null;
    }

    /** The table in force: the shipped EU rates with the tenant's edits. */
    public TaxRates rates() {
        return EuVat.defaultRates().with(rateEdits);
    }
}

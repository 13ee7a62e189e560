package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's rates table, as data. A rate is looked up for (jurisdiction, category): the region's own row
 * first, then the whole country's; a category the table does not list falls back to the standard rate there,
 * except {@link TaxCategory#EXEMPT}, which is 0 % unless the table says otherwise. A jurisdiction without any
 * row is one the seller collects no tax in: charges there get no tax.
 */
public final class TaxRates {
    private final List<TaxRate> rows;
    private final Map<String, TaxRate> byKey = new HashMap<>();

    public TaxRates(List<TaxRate> rows) {
        this.rows = List.copyOf(rows);
        for (TaxRate r : this.rows) {
            if (byKey.put(key(r.jurisdiction(), r.category()), r) != null) {
                throw AccrueException.invalid("tax_rates", "Two rates for " + r.jurisdiction() + " " + r.category().wire());
            }
        }
    }

    public List<TaxRate> rows() {
        return rows;
    }

    /** The table with {@code replacements} overriding rows of the same jurisdiction and category, and adding the rest. */
    public TaxRates with(List<TaxRate> replacements) {
        Map<String, TaxRate> merged = new LinkedHashMap<>();
        rows.forEach(r -> merged.put(key(r.jurisdiction(), r.category()), r));
        replacements.forEach(r -> merged.put(key(r.jurisdiction(), r.category()), r));
        return new TaxRates(new ArrayList<>(merged.values()));
    }

    /** The rate for a charge of {@code category} supplied in {@code where}; empty when the seller collects no tax there. */
    public Optional<TaxRate> resolve(Jurisdiction where, TaxCategory category) {
        for (Jurisdiction j : where.region() == null ? List.of(where) : List.of(where, where.wholeCountry())) {
            TaxRate exact = byKey.get(key(j, category));
            if (exact != null) {
                return Optional.of(exact);
            }
        }
        for (Jurisdiction j : where.region() == null ? List.of(where) : List.of(where, where.wholeCountry())) {
            TaxRate standard = byKey.get(key(j, TaxCategory.STANDARD));
            if (standard != null) {
                return Optional.of(category == TaxCategory.EXEMPT
                        ? new TaxRate(j, TaxCategory.EXEMPT, standard.type(), BigDecimal.ZERO)
                        : new TaxRate(j, category, standard.type(), standard.rate()));
            }
        }
        return Optional.empty();
    }

    private static String key(Jurisdiction j, TaxCategory c) {
        return j + "|" + c.name();
    }
}

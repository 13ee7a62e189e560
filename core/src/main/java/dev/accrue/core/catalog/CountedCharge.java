package dev.accrue.core.catalog;

import dev.accrue.core.tax.TaxCategory;
import java.util.List;

/**
 * A price per period chosen by a counted quantity measured at renewal (contacts): the {@code tiers} give a
 * flat price per band of the count. With {@code minimumIsLastInvoiced} the price never drops below the last
 * invoiced one. {@code derivedAllowances} grant allowances proportional to the count (email sends =
 * 4 × contacts).
 */
public record CountedCharge(String code, String name, String metric, List<Tier> tiers, boolean minimumIsLastInvoiced,
                            List<DerivedAllowance> derivedAllowances, TaxCategory taxCategory) implements Charge {
    public CountedCharge {
        tiers = Lists.orEmpty("tiers", tiers);
        derivedAllowances = Lists.orEmpty("derived_allowances", derivedAllowances);
    }
}

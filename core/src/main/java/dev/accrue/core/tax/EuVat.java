package dev.accrue.core.tax;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The EU's VAT facts Accrue ships as defaults: the member states, their standard rates (as of 2025-08-01:
 * Estonia 24 %, Finland 25.5 %, Romania 21 %, Slovakia 23 %) and a few reduced rates. They are a starting table,
 * not law: a tenant edits its own copy when a rate changes.
 */
public final class EuVat {
    private EuVat() {
    }

    private static final Map<String, String> STANDARD = Map.ofEntries(
            Map.entry("AT", "0.20"), Map.entry("BE", "0.21"), Map.entry("BG", "0.20"), Map.entry("CY", "0.19"),
            Map.entry("CZ", "0.21"), Map.entry("DE", "0.19"), Map.entry("DK", "0.25"), Map.entry("EE", "0.24"),
            Map.entry("ES", "0.21"), Map.entry("FI", "0.255"), Map.entry("FR", "0.20"), Map.entry("GR", "0.24"),
            Map.entry("HR", "0.25"), Map.entry("HU", "0.27"), Map.entry("IE", "0.23"), Map.entry("IT", "0.22"),
            Map.entry("LT", "0.21"), Map.entry("LU", "0.17"), Map.entry("LV", "0.21"), Map.entry("MT", "0.18"),
            Map.entry("NL", "0.21"), Map.entry("PL", "0.23"), Map.entry("PT", "0.23"), Map.entry("RO", "0.21"),
            Map.entry("SE", "0.25"), Map.entry("SI", "0.22"), Map.entry("SK", "0.23"));

    private static final Map<String, String> REDUCED = Map.of("FR", "0.10", "DE", "0.07", "IT", "0.10", "ES", "0.10",
            "NL", "0.09", "BE", "0.06", "AT", "0.10");

    public static final String REVERSE_CHARGE_MENTION =
            "Reverse charge — VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)";

    public static Set<String> memberStates() {
        return STANDARD.keySet();
    }

    public static boolean memberState(String country) {
        return country != null && STANDARD.containsKey(country);
    }

    /** The shipped table: each member state's standard VAT rate, and the reduced rates listed above. */
    public static TaxRates defaultRates() {
        List<TaxRate> rows = new ArrayList<>();
        STANDARD.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                rows.add(new TaxRate(Jurisdiction.country(e.getKey()), TaxCategory.STANDARD, "VAT", new BigDecimal(e.getValue()))));
        REDUCED.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                rows.add(new TaxRate(Jurisdiction.country(e.getKey()), TaxCategory.REDUCED, "VAT", new BigDecimal(e.getValue()))));
        return new TaxRates(rows);
    }
}

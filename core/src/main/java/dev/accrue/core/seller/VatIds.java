package dev.accrue.core.seller;

import dev.accrue.core.error.AccrueException;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shape of a VAT identifier: for EU member states (and a few others) the national format after the
 * country prefix, which must be the seller's country (Greece uses EL). Elsewhere: two letters then 2-13
 * letters or digits. A format check only; an online registry check (VIES) is not done here.
 */
public final class VatIds {
    private static final Map<String, Pattern> NATIONAL = Map.ofEntries(
            Map.entry("AT", Pattern.compile("U[0-9]{8}")), Map.entry("BE", Pattern.compile("[01][0-9]{9}")),
            Map.entry("BG", Pattern.compile("[0-9]{9,10}")), Map.entry("CY", Pattern.compile("[0-9]{8}[A-Z]")),
            Map.entry("CZ", Pattern.compile("[0-9]{8,10}")), Map.entry("DE", Pattern.compile("[0-9]{9}")),
            Map.entry("DK", Pattern.compile("[0-9]{8}")), Map.entry("EE", Pattern.compile("[0-9]{9}")),
            Map.entry("EL", Pattern.compile("[0-9]{9}")), Map.entry("ES", Pattern.compile("[0-9A-Z][0-9]{7}[0-9A-Z]")),
            Map.entry("FI", Pattern.compile("[0-9]{8}")), Map.entry("FR", Pattern.compile("[0-9A-Z]{2}[0-9]{9}")),
            Map.entry("HR", Pattern.compile("[0-9]{11}")), Map.entry("HU", Pattern.compile("[0-9]{8}")),
            Map.entry("IE", Pattern.compile("[0-9][0-9A-Z+*][0-9]{5}[A-Z]{1,2}")), Map.entry("IT", Pattern.compile("[0-9]{11}")),
            Map.entry("LT", Pattern.compile("([0-9]{9}|[0-9]{12})")), Map.entry("LU", Pattern.compile("[0-9]{8}")),
            Map.entry("LV", Pattern.compile("[0-9]{11}")), Map.entry("MT", Pattern.compile("[0-9]{8}")),
            Map.entry("NL", Pattern.compile("[0-9]{9}B[0-9]{2}")), Map.entry("PL", Pattern.compile("[0-9]{10}")),
            Map.entry("PT", Pattern.compile("[0-9]{9}")), Map.entry("RO", Pattern.compile("[0-9]{2,10}")),
            Map.entry("SE", Pattern.compile("[0-9]{12}")), Map.entry("SI", Pattern.compile("[0-9]{8}")),
            Map.entry("SK", Pattern.compile("[0-9]{10}")), Map.entry("XI", Pattern.compile("([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})")),
            Map.entry("GB", Pattern.compile("([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})")), Map.entry("CH", Pattern.compile("E[0-9]{9}(MWST|TVA|IVA)?")),
            Map.entry("NO", Pattern.compile("[0-9]{9}(MVA)?")));
    private static final Pattern GENERIC = Pattern.compile("[A-Z]{2}[0-9A-Z]{2,13}");

    private VatIds() {
    }

    /** Throws a validation error naming {@code field} unless {@code vatId} (upper case, no spaces) is well formed. */
    public static void requireWellFormed(String field, String vatId, String country) {
        if (!GENERIC.matcher(vatId).matches()) {
            throw AccrueException.invalid(field, field + " must be a country prefix and 2-13 letters or digits, e.g. DE123456789; got '" + vatId + "'");
        }
        String prefix = vatId.substring(0, 2);
        if (country != null && !prefix.equals("GR".equals(country) ? "EL" : country)) {
            throw AccrueException.invalid(field, field + " must start with the country's prefix " + ("GR".equals(country) ? "EL" : country) + ", got '" + vatId + "'");
        }
        Pattern national = NATIONAL.get(prefix);
        if (national != null && !national.matcher(vatId.substring(2)).matches()) {
            throw AccrueException.invalid(field, field + " '" + vatId + "' does not have the format of a " + prefix + " VAT number");
        }
    }
}

package dev.accrue.core.tax;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The format of EU VAT identification numbers, per member state, as VIES documents it: a two-letter prefix
 * (Greece's is EL, not GR) and the national part. This only checks the shape; whether the number is actually
 * registered is the registry's answer (VIES), which a deployment may plug in later.
 */
public final class VatIds {
    private VatIds() {
    }

    private static final Map<String, Pattern> FORMATS = Map.ofEntries(
            Map.entry("AT", Pattern.compile("U\\d{8}")),
            Map.entry("BE", Pattern.compile("[01]\\d{9}")),
            Map.entry("BG", Pattern.compile("\\d{9,10}")),
            Map.entry("CY", Pattern.compile("\\d{8}[A-Z]")),
            Map.entry("CZ", Pattern.compile("\\d{8,10}")),
            Map.entry("DE", Pattern.compile("\\d{9}")),
            Map.entry("DK", Pattern.compile("\\d{8}")),
            Map.entry("EE", Pattern.compile("\\d{9}")),
            Map.entry("EL", Pattern.compile("\\d{9}")),
            Map.entry("ES", Pattern.compile("[A-Z0-9]\\d{7}[A-Z0-9]")),
            Map.entry("FI", Pattern.compile("\\d{8}")),
            Map.entry("FR", Pattern.compile("[A-HJ-NP-Z0-9]{2}\\d{9}")),
            Map.entry("HR", Pattern.compile("\\d{11}")),
            Map.entry("HU", Pattern.compile("\\d{8}")),
            Map.entry("IE", Pattern.compile("\\d{7}[A-W][A-I]?|\\d[A-Z+*]\\d{5}[A-W]")),
            Map.entry("IT", Pattern.compile("\\d{11}")),
            Map.entry("LT", Pattern.compile("\\d{9}|\\d{12}")),
            Map.entry("LU", Pattern.compile("\\d{8}")),
            Map.entry("LV", Pattern.compile("\\d{11}")),
            Map.entry("MT", Pattern.compile("\\d{8}")),
            Map.entry("NL", Pattern.compile("\\d{9}B\\d{2}")),
            Map.entry("PL", Pattern.compile("\\d{10}")),
            Map.entry("PT", Pattern.compile("\\d{9}")),
            Map.entry("RO", Pattern.compile("[1-9]\\d{1,9}")),
            Map.entry("SE", Pattern.compile("\\d{10}01")),
            Map.entry("SI", Pattern.compile("\\d{8}")),
            Map.entry("SK", Pattern.compile("\\d{10}")));

    /** A VAT id's prefix for a member state (EL for Greece); the country code elsewhere. */
    public static String prefixOf(String country) {
        return "GR".equals(country) ? "EL" : country;
    }

    /** The member state (ISO code) a VAT id belongs to, when it has an EU prefix; empty for any other tax id. */
    public static Optional<String> memberStateOf(String taxId) {
        String id = normalize(taxId);
        if (id == null || id.length() < 2) {
            return Optional.empty();
        }
        String prefix = id.substring(0, 2);
        if (!FORMATS.containsKey(prefix)) {
            return Optional.empty();
        }
        return Optional.of("EL".equals(prefix) ? "GR" : prefix);
    }

    /** Upper case without the spaces, dots and dashes people type into VAT ids. */
    public static String normalize(String taxId) {
        return taxId == null ? null : taxId.replaceAll("[\\s.\\-]", "").toUpperCase(Locale.ROOT);
    }

    /** Whether {@code taxId} is a well-formed EU VAT id (with its country prefix). */
    public static boolean wellFormed(String taxId) {
        String id = normalize(taxId);
        if (id == null || id.length() < 3) {
            return false;
        }
        Pattern p = FORMATS.get(id.substring(0, 2));
        return p != null && p.matcher(id.substring(2)).matches();
    }

    /**
     * Checks a customer's tax id against its billing country: in an EU member state it must be a well-formed VAT
     * id of that state ({@code invalid_tax_id} otherwise, naming the expected prefix); outside the EU any tax id
     * that looks like an EU VAT id must still be well-formed, and other ids are taken as given. Returns the id
     * normalized (EU) or unchanged (elsewhere).
     */
    public static String check(String taxId, String billingCountry) {
        if (taxId == null) {
            return null;
        }
        String normalized = normalize(taxId);
        boolean euCustomer = EuVat.memberState(billingCountry);
        if (euCustomer || memberStateOf(normalized).isPresent()) {
            if (euCustomer && !normalized.startsWith(prefixOf(billingCountry))) {
                throw new AccrueException(ErrorCode.INVALID_TAX_ID, "tax_id",
                        "A VAT id of a customer in " + billingCountry + " starts with " + prefixOf(billingCountry) + ", got '" + taxId + "'");
            }
            if (!wellFormed(normalized)) {
                throw new AccrueException(ErrorCode.INVALID_TAX_ID, "tax_id",
                        "'" + taxId + "' is not a well-formed " + normalized.substring(0, 2) + " VAT id");
            }
            return normalized;
        }
        return taxId;
    }
}

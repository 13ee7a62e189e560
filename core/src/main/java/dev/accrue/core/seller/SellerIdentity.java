package dev.accrue.core.seller;

import dev.accrue.core.error.AccrueException;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who issues a tenant's documents: the legal identity printed on every invoice, receipt, proforma and
 * statement, and carried into e-invoices. Validated whole on every change, so a stored identity is always
 * printable; {@link #complete()} says whether it is enough for a legal invoice (and for invoice emails).
 *
 * @param logoPng          the logo as PNG or JPEG bytes (at most {@link #MAX_LOGO_BYTES}), or null
 * @param brandColor       #RRGGBB used for headings and rules on documents
 * @param paymentTermsDays the terms printed when a document has no due date of its own, 0-365
 * @param emailInvoices    whether finalized invoices and new proformas are emailed to the customer
 */
public record SellerIdentity(String legalName, String addressLine1, String addressLine2, String city, String region, String postalCode,
                             String country, String vatId, String taxId, String registrationNumber, String email, String phone, String website,
                             byte[] logoPng, String brandColor, String invoiceFooter, String bankAccountHolder, String bankName, String iban,
                             String bic, int paymentTermsDays, boolean emailInvoices) {
    public static final int MAX_LOGO_BYTES = 256 * 1024;
    public static final String DEFAULT_COLOR = "#1F3A5F";
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");
    private static final Pattern BIC = Pattern.compile("[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public static SellerIdentity empty(String tenantName) {
        return new SellerIdentity(tenantName, null, null, null, null, null, null, null, null, null, null, null, null, null, DEFAULT_COLOR, null,
                null, null, null, null, 0, false);
    }

    public SellerIdentity {
        legalName = text("legal_name", legalName, 200);
        if (legalName == null) {
            throw AccrueException.invalid("legal_name", "legal_name is required");
        }
        addressLine1 = text("address_line1", addressLine1, 200);
        addressLine2 = text("address_line2", addressLine2, 200);
        city = text("city", city, 100);
        region = text("region", region, 100);
        postalCode = text("postal_code", postalCode, 20);
        country = text("country", country, 2);
        if (country != null) {
            country = country.toUpperCase(Locale.ROOT);
            if (!COUNTRIES.contains(country)) {
                throw AccrueException.invalid("country", "country must be an ISO 3166-1 alpha-2 code such as DE or FR, got '" + country + "'");
            }
        }
        vatId = text("vat_id", vatId, 20);
        if (vatId != null) {
            vatId = vatId.replace(" ", "").toUpperCase(Locale.ROOT);
            VatIds.requireWellFormed("vat_id", vatId, country);
        }
        taxId = text("tax_id", taxId, 40);
        registrationNumber = text("registration_number", registrationNumber, 60);
        email = text("email", email, 200);
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw AccrueException.invalid("email", "email must be an address like billing@example.com, got '" + email + "'");
        }
        phone = text("phone", phone, 40);
        website = text("website", website, 200);
        if (logoPng != null) {
            if (logoPng.length > MAX_LOGO_BYTES) {
                throw AccrueException.invalid("logo", "logo must be at most " + MAX_LOGO_BYTES / 1024 + " KiB, got " + logoPng.length / 1024 + " KiB");
            }
            if (!isPng(logoPng) && !isJpeg(logoPng)) {
                throw AccrueException.invalid("logo", "logo must be a PNG or JPEG image (base64)");
            }
        }
        brandColor = brandColor == null ? DEFAULT_COLOR : brandColor;
        if (!COLOR.matcher(brandColor).matches()) {
            throw AccrueException.invalid("brand_color", "brand_color must be #RRGGBB, got '" + brandColor + "'");
        }
        invoiceFooter = text("invoice_footer", invoiceFooter, 1000);
        bankAccountHolder = text("bank_account_holder", bankAccountHolder, 200);
        bankName = text("bank_name", bankName, 200);
        iban = text("iban", iban, 42);
        if (iban != null) {
            iban = iban.replace(" ", "").toUpperCase(Locale.ROOT);
            if (!Iban.valid(iban)) {
                throw AccrueException.invalid("iban", "iban is not a valid IBAN (country code, check digits, account): '" + iban + "'");
            }
        }
        bic = text("bic", bic, 11);
        if (bic != null) {
            bic = bic.toUpperCase(Locale.ROOT);
            if (!BIC.matcher(bic).matches()) {
                throw AccrueException.invalid("bic", "bic must be 8 or 11 characters (bank, country, location, branch), got '" + bic + "'");
            }
        }
        if (paymentTermsDays < 0 || paymentTermsDays > 365) {
            throw AccrueException.invalid("payment_terms_days", "payment_terms_days must be 0-365, got " + paymentTermsDays);
        }
        // the fields are assigned only after this constructor body, so the check reads the parameters
        if (emailInvoices && !complete(legalName, addressLine1, city, postalCode, country)) {
            throw AccrueException.invalid("email_invoices", "Invoices can be emailed only once the seller has a legal name, address line, city, "
                    + "postal code and country");
        }
    }

    /** Enough for a legal invoice: a name and a full postal address. */
    public boolean complete() {
        return complete(legalName, addressLine1, city, postalCode, country);
    }

    private static boolean complete(String legalName, String addressLine1, String city, String postalCode, String country) {
        return legalName != null && addressLine1 != null && city != null && postalCode != null && country != null;
    }

    /** One line per printed address line, skipping blanks. */
    public java.util.List<String> addressLines() {
        var lines = new java.util.ArrayList<String>();
        if (addressLine1 != null) {
            lines.add(addressLine1);
        }
        if (addressLine2 != null) {
            lines.add(addressLine2);
        }
        String cityLine = String.join(" ", java.util.stream.Stream.of(postalCode, city).filter(java.util.Objects::nonNull).toList());
        if (region != null) {
            cityLine = cityLine.isEmpty() ? region : cityLine + ", " + region;
        }
        if (!cityLine.isEmpty()) {
            lines.add(cityLine);
        }
        if (country != null) {
            lines.add(Locale.of("", country).getDisplayCountry(Locale.ENGLISH));
        }
        return lines;
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            throw AccrueException.invalid(field, field + " must be at most " + max + " characters, got " + v.length());
        }
        if (v.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw AccrueException.invalid(field, field + " must not contain control characters");
        }
        return v;
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    // arrays compare by content, so two identical identities are equal (audit before/after, tests)
    @Override
    public boolean equals(Object o) {
        return o instanceof SellerIdentity s && java.util.Arrays.equals(logoPng, s.logoPng)
                && java.util.Objects.equals(withoutLogo(), s.withoutLogo());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(withoutLogo(), java.util.Arrays.hashCode(logoPng));
    }

    private java.util.List<Object> withoutLogo() {
        return java.util.Arrays.asList(legalName, addressLine1, addressLine2, city, region, postalCode, country, vatId, taxId, registrationNumber, email,
                phone, website, brandColor, invoiceFooter, bankAccountHolder, bankName, iban, bic, paymentTermsDays, emailInvoices);
    }
}

package dev.accrue.core.tax;

/**
 * The EN 16931 VAT category of a charge (code list UNCL5305, as e-invoices carry it in BT-151 and BT-118), decided
 * by the tax calculator alongside the rate so that a document and its e-invoice never disagree.
 *
 * <ul>
 *   <li>{@code S} standard rated: any rate above zero (standard or reduced);</li>
 *   <li>{@code Z} zero rated: a rate row of 0 % that is not an exemption;</li>
 *   <li>{@code E} exempt: an exempt customer or an exempt charge, with its exemption reason;</li>
 *   <li>{@code AE} reverse charge: an EU business customer accounts for the VAT (Art. 196);</li>
 *   <li>{@code K} intra-community supply of goods (Art. 138); Accrue bills services, so the calculator never picks it,
 *   but a document carrying it is exported faithfully;</li>
 *   <li>{@code G} export outside the EU: an EU seller, a customer outside the EU where no rate applies;</li>
 *   <li>{@code O} outside the scope of VAT: a seller that collects no tax, or a customer with no known place.</li>
 * </ul>
 */
public enum VatCategory {
    S("Standard rate", null),
    Z("Zero rated", null),
    E("Exempt from tax", null),
    AE("Reverse charge", "VATEX-EU-AE"),
    K("Intra-community supply", "VATEX-EU-IC"),
    G("Export outside the EU", "VATEX-EU-G"),
    O("Not subject to VAT", "VATEX-EU-O");

    private final String label;
    private final String exemptionCode;

    VatCategory(String label, String exemptionCode) {
        this.label = label;
        this.exemptionCode = exemptionCode;
    }

    public String code() {
        return name();
    }

    /** The wording of the category ("Export outside the EU"), used as the exemption reason where none is more precise. */
    public String label() {
        return label;
    }

    /**
     * The VATEX code an e-invoice gives as the exemption reason code (BT-121) where the category alone says why; null
     * for S and Z, which are not exemptions, and for E, whose reason is the exemption's own wording.
     */
    public String exemptionCode() {
        return exemptionCode;
    }

    /** Whether an e-invoice must state why no VAT is charged (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10). */
    public boolean needsExemptionReason() {
        return this != S && this != Z;
    }

    public static VatCategory parse(String code) {
        return code == null ? null : valueOf(code);
    }
}

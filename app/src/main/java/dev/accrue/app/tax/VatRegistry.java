package dev.accrue.app.tax;

/**
 * A registry that says whether a VAT id is actually registered (the EU's VIES), beyond the format check of
 * {@code VatIds}. Off unless a deployment configures one ({@link #OFF}): then no id is looked up.
 */
public interface VatRegistry {
    /** {@code vatId} is a well-formed EU VAT id, normalized, with its two-letter prefix (EL for Greece). */
    Verdict check(String vatId);

    enum Status { REGISTERED, NOT_REGISTERED, UNAVAILABLE, NOT_CHECKED }

    /** The registry's answer; {@code detail} says why when it could not answer (a member state down, a timeout). */
    record Verdict(Status status, String detail) {
    }

    VatRegistry OFF = vatId -> new Verdict(Status.NOT_CHECKED, null);
}

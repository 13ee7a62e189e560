package dev.accrue.app.tax;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.tax.VatIds;

import java.util.Map;

/**
 * The registry check of a customer's VAT id when it is saved: a well-formed EU VAT id that the {@link VatRegistry}
 * says is not registered is refused ({@code vat_id_not_registered}, nothing saved); a registry that cannot answer
 * does not block the save, and what happened is recorded in the audit log ({@code customer.vat_id_unverified}, with
 * the registry's reason; {@code customer.vat_id_verified} when it confirmed the id). With the registry off, nothing
 * is looked up or recorded. Only a new or changed id is looked up.
 */
public final class VatRegistration {
    private final VatRegistry registry;
    private final AuditLog audit;

    public VatRegistration(VatRegistry registry, AuditLog audit) {
        this.registry = registry;
        this.audit = audit;
    }

    /** Asks the registry about {@code taxId} when it is a new EU VAT id; refuses one the registry does not know. */
    public VatRegistry.Verdict require(String taxId, String previousTaxId) {
        if (taxId == null || taxId.equals(previousTaxId) || !VatIds.wellFormed(taxId)) {
            return new VatRegistry.Verdict(VatRegistry.Status.NOT_CHECKED, null);
        }
        VatRegistry.Verdict verdict = registry.check(VatIds.normalize(taxId));
        if (verdict.status() == VatRegistry.Status.NOT_REGISTERED) {
            throw new AccrueException(ErrorCode.VAT_ID_NOT_REGISTERED, "tax_id",
                    "The VAT registry (VIES) says " + taxId + " is not a registered VAT id");
        }
        return verdict;
    }

    /** Records the registry's answer about the saved customer's id (in the saving transaction). */
    public void record(Caller caller, String customerId, String taxId, VatRegistry.Verdict verdict) {
        switch (verdict.status()) {
            case REGISTERED -> audit.record(caller, "customer", customerId, "customer.vat_id_verified", null, Map.of("tax_id", taxId));
            case UNAVAILABLE -> audit.record(caller, "customer", customerId, "customer.vat_id_unverified", null,
                    Map.of("tax_id", taxId, "reason", verdict.detail() == null ? "registry unavailable" : verdict.detail()));
            default -> {
            }
        }
    }
}

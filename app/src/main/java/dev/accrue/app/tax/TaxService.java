package dev.accrue.app.tax;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.tax.TaxSettings;

/**
 * A tenant's tax configuration: read it, replace it (validated as a whole, audited). Documents read it through
 * {@link #settings(String)} inside their own transaction, so a change applies to documents issued from then on.
 */
public final class TaxService {
    private final Transactions tx;
    private final TaxSettingsRepository repository;
    private final AuditLog audit;

    public TaxService(Transactions tx, TaxSettingsRepository repository, AuditLog audit) {
        this.tx = tx;
        this.repository = repository;
        this.audit = audit;
    }

    public TaxSettings get(Caller caller) {
        return tx.inTransaction(() -> repository.find(caller.tenantId()));
    }

    public TaxSettings replace(Caller caller, TaxSettings settings) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            TaxSettings before = repository.find(caller.tenantId());
            repository.save(caller.tenantId(), settings);
            audit.record(caller, "tenant", caller.tenantId(), "tenant.tax_settings_updated", before, settings);
            return settings;
        });
    }

    /** The settings in force for a tenant's documents (joins the caller's transaction). */
    public TaxSettings settings(String tenantId) {
        return tx.inTransaction(() -> repository.find(tenantId));
    }
}

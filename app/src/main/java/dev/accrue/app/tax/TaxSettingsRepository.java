package dev.accrue.app.tax;

import dev.accrue.core.tax.TaxSettings;

/** Where each tenant's tax configuration is kept; a tenant that never set one has {@link TaxSettings#NONE}. */
public interface TaxSettingsRepository {
    TaxSettings find(String tenantId);

    void save(String tenantId, TaxSettings settings);
}

package dev.accrue.app.tenant;

import java.util.List;
import java.util.Optional;

public interface TenantRepository {
    void insert(Tenant tenant);

    Optional<Tenant> find(String id);

    Optional<Tenant> findByName(String name);

    List<Tenant> all();

    void updateSettings(String tenantId, TenantSettings settings);
}

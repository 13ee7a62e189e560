package dev.accrue.app.catalog;

import java.util.List;
import java.util.Optional;

public interface CatalogRepository {
    void insert(String tenantId, CatalogVersion version, String source);

    /** Newest version first. */
    List<CatalogVersion> versions(String tenantId);

    Optional<CatalogVersion> version(String tenantId, int version);

    Optional<String> source(String tenantId, int version);

    /** Serialises concurrent imports of one tenant so version numbers stay ordered. */
    void lockTenant(String tenantId);
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.catalog.CatalogRepository;
import dev.accrue.app.catalog.CatalogVersion;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Optional;

public final class PostgresCatalogs implements CatalogRepository {
    private static final String COLUMNS = "id, name, version, effective_from, source_file, imported_at, imported_by";
    private static final RowMapper<CatalogVersion> MAPPER = (rs, ctx) -> new CatalogVersion(rs.getString("id"), rs.getString("name"),
            rs.getInt("version"), Rows.instant(rs, "effective_from"), rs.getString("source_file"), Rows.instant(rs, "imported_at"),
            rs.getString("imported_by"));
    private final JdbiTransactions tx;

    public PostgresCatalogs(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, CatalogVersion v, String source) {
        tx.handle().createUpdate("""
                        INSERT INTO catalog_versions (tenant_id, id, name, version, effective_from, source_file, source, imported_at, imported_by)
                        VALUES (:tenant, :id, :name, :version, :from, :file, :source, :at, :by)""")
                .bind("tenant", tenantId).bind("id", v.id()).bind("name", v.name()).bind("version", v.version())
                .bind("from", Rows.utc(v.effectiveFrom())).bind("file", v.sourceFile()).bind("source", source)
                .bind("at", Rows.utc(v.importedAt())).bind("by", v.importedBy()).execute();
    }

    @Override
    public List<CatalogVersion> versions(String tenantId) {
        return tx.handle().createQuery("SELECT " + COLUMNS + " FROM catalog_versions WHERE tenant_id = :tenant ORDER BY version DESC")
                .bind("tenant", tenantId).map(MAPPER).list();
    }

    @Override
    public Optional<CatalogVersion> version(String tenantId, int version) {
        return tx.handle().createQuery("SELECT " + COLUMNS + " FROM catalog_versions WHERE tenant_id = :tenant AND version = :v")
                .bind("tenant", tenantId).bind("v", version).map(MAPPER).findOne();
    }

    @Override
    public Optional<String> source(String tenantId, int version) {
        return tx.handle().createQuery("SELECT source FROM catalog_versions WHERE tenant_id = :tenant AND version = :v")
                .bind("tenant", tenantId).bind("v", version).mapTo(String.class).findOne();
    }

    @Override
    public void lockTenant(String tenantId) {
        tx.handle().createQuery("SELECT id FROM tenants WHERE id = :tenant FOR UPDATE").bind("tenant", tenantId).mapTo(String.class).findOne();
    }
}

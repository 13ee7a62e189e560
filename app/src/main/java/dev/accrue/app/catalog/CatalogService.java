package dev.accrue.app.catalog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.id.Ids;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import com.github.benmanes.caffeine.cache.Cache;
import dev.accrue.app.cache.Caches;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Imports and serves catalog versions. A version is immutable once imported, so parsed catalogs are cached
 * per (tenant, version) forever; the version in force at an instant is the highest one whose
 * {@code effective_from} has passed. Existing subscriptions keep the version they were created on.
 */
public final class CatalogService {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogService.class);
    private final Transactions tx;
    private final CatalogRepository repository;
    private final CatalogParser parser;
    private final AuditLog audit;
    private final Clock clock;
    /** Parsed versions (immutable once imported): parsing a large catalog costs more than the read it saves. */
    private final Cache<String, Catalog> parsed = Caches.idle("catalogs", 2_000, Duration.ofHours(1));

    public CatalogService(Transactions tx, CatalogRepository repository, CatalogParser parser, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.repository = repository;
        this.parser = parser;
        this.audit = audit;
        this.clock = clock;
    }

    public record Imported(CatalogVersion version, Catalog catalog) {
    }

    /** Parses and validates without storing anything. */
    public Catalog validate(String fileName, String source) {
        return parser.parse(fileName, source);
    }

    public Imported importCatalog(Caller caller, String fileName, String source) {
        caller.requireWrite();
        Catalog catalog = parser.parse(fileName, source);
        Imported imported = tx.inTransaction(() -> {
            repository.lockTenant(caller.tenantId());
            List<CatalogVersion> existing = repository.versions(caller.tenantId());
            if (!existing.isEmpty()) {
                CatalogVersion latest = existing.getFirst();
                if (!latest.name().equals(catalog.name())) {
                    throw new AccrueException(ErrorCode.CATALOG_NAME_MISMATCH, "name",
                            "This tenant's catalog is '" + latest.name() + "'; the file defines '" + catalog.name() + "'");
                }
                if (catalog.version() <= latest.version()) {
                    throw new AccrueException(ErrorCode.CATALOG_VERSION_EXISTS, "version",
                            "Version " + catalog.version() + " is not newer than the latest imported version " + latest.version()
                                    + "; versions are immutable, import version " + (latest.version() + 1) + " instead");
                }
                if (catalog.effectiveFrom().isBefore(latest.effectiveFrom())) {
                    throw AccrueException.invalid("effective_from", "effective_from " + catalog.effectiveFrom()
                            + " precedes version " + latest.version() + "'s " + latest.effectiveFrom());
                }
            }
            CatalogVersion version = new CatalogVersion(Ids.next("catv"), catalog.name(), catalog.version(), catalog.effectiveFrom(),
                    fileName, clock.instant(), caller.actor().wire());
            repository.insert(caller.tenantId(), version, source);
            audit.record(caller, "catalog_version", version.id(), "catalog.imported", null, version);
            return new Imported(version, catalog);
        });
        parsed.put(key(caller.tenantId(), imported.version().version()), catalog); // only once committed
        LOG.info("Catalog '{}' version {} ({}) imported into tenant {} by {} from {}", catalog.name(), catalog.version(), imported.version().id(),
                caller.tenantId(), caller.actor().wire(), fileName);
        return imported;
    }

    public List<CatalogVersion> versions(Caller caller) {
        return tx.inTransaction(() -> repository.versions(caller.tenantId()));
    }

    public Imported version(Caller caller, int version) {
        CatalogVersion v = tx.inTransaction(() -> repository.version(caller.tenantId(), version))
                .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "No catalog version " + version));
        return new Imported(v, catalog(caller.tenantId(), v));
    }

    /** The version in force at {@code at}; {@code catalog_not_found} when none is effective yet. */
    public Imported current(Caller caller, Instant at) {
        return current(caller.tenantId(), at == null ? clock.instant() : at);
    }

    /** The parsed catalog of a tenant's version, for use cases acting on the tenant's behalf (billing runs). */
    public Catalog catalog(String tenantId, int version) {
        Catalog cached = parsed.getIfPresent(key(tenantId, version));
        if (cached != null) {
            return cached;
        }
        CatalogVersion v = tx.inTransaction(() -> repository.version(tenantId, version))
                .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "No catalog version " + version));
        return catalog(tenantId, v);
    }

    /** The tenant's version in force at {@code at}. */
    public Imported current(String tenantId, Instant at) {
        CatalogVersion v = tx.inTransaction(() -> repository.versions(tenantId)).stream().filter(c -> !c.effectiveFrom().isAfter(at)).findFirst()
                .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "No catalog version is in effect at " + at + "; import a catalog first"));
        return new Imported(v, catalog(tenantId, v));
    }

    private Catalog catalog(String tenantId, CatalogVersion v) {
        return parsed.get(key(tenantId, v.version()), k -> {
            String source = tx.inTransaction(() -> repository.source(tenantId, v.version())).orElseThrow();
            return parser.parse(v.sourceFile(), source);
        });
    }

    private static String key(String tenantId, int version) {
        return tenantId + "#" + version;
    }
}

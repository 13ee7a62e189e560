package dev.accrue.adapters.http.catalog;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.json.StrictText;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.catalog.CatalogVersion;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * /v1/catalog: import a catalog version (the YAML document as the body, Content-Type application/yaml),
 * validate one without storing it, and read versions and the plans in force.
 */
public final class CatalogRoutes {
    private final CatalogService catalogs;
    private final Idempotency idempotency;

    public CatalogRoutes(CatalogService catalogs, Idempotency idempotency) {
        this.catalogs = catalogs;
        this.idempotency = idempotency;
    }

    record VersionView(String id, String name, int version, Instant effectiveFrom, String sourceFile, Instant importedAt,
                       String importedBy, Catalog catalog) {
        static VersionView of(CatalogVersion v, Catalog catalog) {
            return new VersionView(v.id(), v.name(), v.version(), v.effectiveFrom(), v.sourceFile(), v.importedAt(), v.importedBy(), catalog);
        }
    }

    record ValidationView(boolean valid, List<dev.accrue.core.catalog.CatalogProblem> errors) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/catalog/versions", this::importVersion);
        app.post("/v1/catalog/validate", this::validate);
        app.get("/v1/catalog/versions", ctx -> Responses.listAll(ctx, catalogs.versions(Requests.caller(ctx)),
                v -> v.id(), v -> VersionView.of(v, null)));
        app.get("/v1/catalog/versions/{version}", ctx -> {
            var imported = catalogs.version(Requests.caller(ctx), versionNumber(ctx.pathParam("version")));
            Responses.json(ctx, 200, VersionView.of(imported.version(), imported.catalog()));
        });
        app.get("/v1/catalog/current", ctx -> {
            var imported = catalogs.current(Requests.caller(ctx), at(ctx.queryParam("at")));
            Responses.json(ctx, 200, VersionView.of(imported.version(), imported.catalog()));
        });
    }

    private void importVersion(Context ctx) {
        String source = yamlBody(ctx);
        String file = fileName(ctx);
        idempotency.create(ctx, 201, () -> {
            var imported = catalogs.importCatalog(Requests.caller(ctx), file, source);
            return VersionView.of(imported.version(), imported.catalog());
        });
    }

    private void validate(Context ctx) {
        try {
            catalogs.validate(fileName(ctx), yamlBody(ctx));
            Responses.json(ctx, 200, new ValidationView(true, List.of()));
        } catch (InvalidCatalogException e) {
            Responses.json(ctx, 200, new ValidationView(false, e.problems()));
        }
    }

    private static String yamlBody(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (!type.startsWith("application/yaml") && !type.startsWith("application/x-yaml") && !type.startsWith("text/yaml")) {
            throw new AccrueException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                    "Send the catalog YAML as the body with Content-Type: application/yaml");
        }
        String body = StrictText.decode(ctx.bodyAsBytes());
        if (body.isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "body", "The request body must be the catalog YAML document");
        }
        return body;
    }

    /** The file name problems are reported against: ?file_name=… or "catalog.yaml". */
    private static String fileName(Context ctx) {
        String name = ctx.queryParam("file_name");
        return name == null || name.isBlank() ? "catalog.yaml" : name;
    }

    private static int versionNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new AccrueException(ErrorCode.NOT_FOUND, "No catalog version '" + text + "'");
        }
    }

    private static Instant at(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw AccrueException.invalid("at", "at must be an ISO-8601 instant such as 2026-03-01T00:00:00Z, got '" + text + "'");
        }
    }
}

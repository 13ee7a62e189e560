package dev.accrue.app.catalog;

import java.time.Instant;

/** An imported catalog version: immutable, effective from {@code effectiveFrom}, kept with its source text. */
public record CatalogVersion(String id, String name, int version, Instant effectiveFrom, String sourceFile,
                             Instant importedAt, String importedBy) {
}

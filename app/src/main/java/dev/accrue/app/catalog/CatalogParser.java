package dev.accrue.app.catalog;

import dev.accrue.core.catalog.Catalog;

/** Turns a catalog document into the validated model, or throws InvalidCatalogException listing every problem. */
public interface CatalogParser {
    Catalog parse(String fileName, String source);
}

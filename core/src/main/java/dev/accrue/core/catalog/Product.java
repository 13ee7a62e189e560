package dev.accrue.core.catalog;

/** A product line; its plans form a tier ladder (upgrade = higher tier). */
public record Product(String code, String name, String description) {
}

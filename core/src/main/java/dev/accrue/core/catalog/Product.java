package dev.accrue.core.catalog;

/**
 * A product line; its plans form a tier ladder (upgrade = higher tier). A customer holds one live
 * subscription per product (moving along the ladder is a plan change) unless {@code multipleSubscriptions}
 * says the product is sold several times over (e.g. one subscription per office or per brand).
 */
public record Product(String code, String name, String description, boolean multipleSubscriptions) {
}

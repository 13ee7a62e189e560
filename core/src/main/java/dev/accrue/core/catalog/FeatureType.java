package dev.accrue.core.catalog;

public enum FeatureType {
    BOOLEAN, LIMIT, QUOTA
}

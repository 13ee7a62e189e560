package dev.accrue.core.catalog;

public enum PriceModel {
    PER_UNIT, GRADUATED, VOLUME, PACKAGE
}

package dev.accrue.core.catalog;

public enum AddOnType {
    PACKAGE, BUNDLE, RENTAL
}

package dev.accrue.core.catalog;

/** When unused units of a one-time bundle lapse. */
public enum BundleExpiry {
    END_OF_BILLING_PERIOD, NEVER
}

package dev.accrue.core.catalog;

/** When an allowance starts over: with each billing period, or on a fixed cadence of its own. */
public enum ResetCadence {
    BILLING_PERIOD, WEEK, MONTH, YEAR
}

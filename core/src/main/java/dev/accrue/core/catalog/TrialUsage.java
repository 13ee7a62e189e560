package dev.accrue.core.catalog;

/**
 * What usage during a plan's free trial costs. {@code FREE}: it is shown (usage views, authorization count it
 * against the allowance) and never charged. {@code BILLED}: the trial is a usage window of its own, priced like
 * a period (allowances included) and invoiced on the first invoice after the trial.
 */
public enum TrialUsage {
    FREE, BILLED
}

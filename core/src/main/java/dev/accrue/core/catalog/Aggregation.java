package dev.accrue.core.catalog;

/**
 * How a metric folds events: SUM of a property (seconds), COUNT of events (messages), MAX of a property,
 * UNIQUE_COUNT of distinct property values (active contacts), LATEST value of a gauge (employees
 * provisioned), TIME_WEIGHTED_SUM of a gauge over the period (GB stored × fraction of the period).
 */
public enum Aggregation {
    SUM, COUNT, MAX, UNIQUE_COUNT, LATEST, TIME_WEIGHTED_SUM
}

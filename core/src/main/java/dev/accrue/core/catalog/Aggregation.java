package dev.accrue.core.catalog;

/**
 * How a metric folds events: SUM of a property (seconds), COUNT of events (messages), MAX of a property,
 * UNIQUE_COUNT of distinct property values (active contacts), LATEST value of a gauge (employees
 * provisioned), TIME_WEIGHTED_SUM of a gauge over the period (GB stored × fraction of the period).
 * PERSISTENT: units (seats, active numbers) that events add and remove by id, carried from period to period;
 * a window's quantity is the units held, each weighted by the fraction of the window it was held (to the second).
 */
public enum Aggregation {
    SUM, COUNT, MAX, UNIQUE_COUNT, LATEST, TIME_WEIGHTED_SUM, PERSISTENT
}

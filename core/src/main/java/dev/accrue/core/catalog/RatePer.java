package dev.accrue.core.catalog;

/**
 * What one priced unit of a rate-table row is. {@code UNIT}: the metric's quantity (seconds, segments).
 * {@code EVENT}: each event counts once whatever its quantity — an inbound text costs a flat price per
 * message however many segments it has.
 */
public enum RatePer {
    UNIT, EVENT
}

package dev.accrue.core.metering;

import dev.accrue.core.catalog.AddOn;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.PriceModel;

import java.util.List;
import java.util.stream.Stream;

/**
 * Which metrics keep each event's own value beside the day's sums. A percentage charge may bound the fee of each
 * transaction (a minimum and a maximum fee), which a sum cannot price: the fee of 1,000.00 in one payment is not the
 * fee of 1,000.00 in a hundred. So the events of every metric some percentage charge of the catalog version prices
 * are kept per day as distinct values with their count (usage_values) — written at ingestion, read by the billing run
 * for the window, never a scan of raw events. Keyed on the model rather than on the bounds, so a later version that adds
 * bounds to an existing percentage charge finds the values already kept.
 */
public final class TransactionValues {
    private TransactionValues() {
    }

    /** Whether events of {@code metric}, billed on this catalog version, keep their own value. */
    public static boolean kept(Catalog catalog, String metric) {
        Stream<Charge> plans = catalog.plans().stream().map(Plan::charges).flatMap(List::stream);
        Stream<Charge> addOns = catalog.addOns().stream().map(AddOn::charges).flatMap(List::stream);
        return Stream.concat(plans, addOns).anyMatch(c -> c instanceof MeteredCharge m && metric.equals(m.metric()) && m.pricing() != null
                && m.pricing().model() == PriceModel.PERCENTAGE);
    }
}

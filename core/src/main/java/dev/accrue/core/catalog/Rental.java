package dev.accrue.core.catalog;

import java.util.List;

/**
 * A rentable resource (phone numbers). Each item counts against the plan's {@code quota}; {@code options}
 * price items by their attributes (country, type: local / toll_free / premium); the first partial month is
 * prorated by day. {@code firstItemTrialDays}: the customer's first item is free for that many days.
 * {@code holdGraceDays}: an item On Hold (unpaid) that long is released. {@code regulatoryFees} are extra
 * monthly lines per country.
 */
public record Rental(String quota, List<String> attributes, List<RentalOption> options, int firstItemTrialDays,
                     int holdGraceDays, List<RegulatoryFee> regulatoryFees) {
    public Rental {
        attributes = Lists.orEmpty("attributes", attributes);
        options = Lists.orEmpty("options", options);
        regulatoryFees = Lists.orEmpty("regulatory_fees", regulatoryFees);
    }
}

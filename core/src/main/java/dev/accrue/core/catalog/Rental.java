package dev.accrue.core.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * The option pricing an item with these attributes, matched like rate table rows: every entry of an option's
     * {@code match} must equal the item's attribute, an attribute the option leaves out matches anything, and the
     * option with the most entries wins (the first listed on a tie).
     */
    public Optional<RentalOption> optionFor(Map<String, String> itemAttributes) {
        return options.stream()
                .filter(o -> o.match().entrySet().stream().allMatch(e -> e.getValue().equals(itemAttributes.get(e.getKey()))))
                .max(Comparator.comparingInt((RentalOption o) -> o.match().size()).thenComparing((a, b) -> options.indexOf(b) - options.indexOf(a)));
    }
}

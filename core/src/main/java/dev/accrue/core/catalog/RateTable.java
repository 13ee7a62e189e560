package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prices keyed by usage dimensions (SMS by direction and destination country). A row matches when each of
 * its {@code match} entries equals the usage's dimension; a dimension a row leaves out matches anything. The
 * most specific matching row wins; {@code defaultPrice} prices what no row matches (absent: such usage is
 * refused as unpriced). {@code perUnits} as in {@link Pricing}.
 */
public record RateTable(String code, String name, List<String> dimensions, String unit, BigDecimal perUnits,
                        List<RateRow> rows, Map<String, BigDecimal> defaultPrice) {
    public RateTable {
        dimensions = Lists.orEmpty("dimensions", dimensions);
        rows = Lists.orEmpty("rows", rows);
        perUnits = perUnits == null ? BigDecimal.ONE : perUnits;
        defaultPrice = Lists.orEmpty("default_price", defaultPrice);
    }

    public Optional<BigDecimal> rate(Map<String, String> usageDimensions, String currency) {
        return row(usageDimensions, currency).map(r -> r.price().get(currency))
                .or(() -> Optional.ofNullable(defaultPrice.get(currency)));
    }

    /** The most specific row pricing these dimensions in {@code currency}; empty when only the default price applies. */
    public Optional<RateRow> row(Map<String, String> usageDimensions, String currency) {
        return rows.stream()
                .filter(r -> r.matches(usageDimensions) && r.price().containsKey(currency))
                .max(Comparator.comparingInt(r -> r.match().size()));
    }

    /** Whether usage with these dimensions is priced per event (a flat price per message) rather than per unit. */
    public boolean perEvent(Map<String, String> usageDimensions, String currency) {
        return row(usageDimensions, currency).map(r -> r.per() == RatePer.EVENT).orElse(false);
    }

    public RateTable withRows(List<RateRow> overridingRows) {
        return new RateTable(code, name, dimensions, unit, perUnits, overridingRows, defaultPrice);
    }
}

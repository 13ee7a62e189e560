package dev.accrue.core.rating;

import dev.accrue.core.catalog.PriceModel;
import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.catalog.Tier;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Small builders so the tests read as price sheets. Everything is in USD. */
final class Pricings {

    private Pricings() {
    }

    static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    static Map<String, BigDecimal> usd(String amount) {
        return Map.of("USD", d(amount));
    }

    static Pricing perUnit(String price, String perUnits) {
        return new Pricing(PriceModel.PER_UNIT, usd(price), d(perUnits), null, null, null);
    }

    static Pricing tiered(PriceModel model, Tier... tiers) {
        return new Pricing(model, null, null, List.of(tiers), null, null);
    }

    static Pricing tieredPer(PriceModel model, String perUnits, Tier... tiers) {
        return new Pricing(model, null, d(perUnits), List.of(tiers), null, null);
    }

    static Pricing packaged(String size, String price) {
        return new Pricing(PriceModel.PACKAGE, null, null, null, d(size), usd(price));
    }

    /** upTo null = open-ended last tier. */
    static Tier tier(String upTo, String unitPrice) {
        return new Tier(upTo == null ? null : d(upTo), usd(unitPrice), null);
    }

    static Tier tier(String upTo, String unitPrice, String flatPrice) {
        return new Tier(upTo == null ? null : d(upTo), unitPrice == null ? null : usd(unitPrice), usd(flatPrice));
    }
}

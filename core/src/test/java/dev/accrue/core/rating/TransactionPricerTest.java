package dev.accrue.core.rating;

import dev.accrue.core.catalog.PriceModel;
import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.catalog.Tier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The transaction models, exact and unrounded, as a table. */
class TransactionPricerTest {
    static final Pricing CARD = new Pricing(PriceModel.PERCENTAGE, Map.of(), null, List.of(), null, Map.of(), new BigDecimal("2.9"),
            Map.of("USD", new BigDecimal("0.30")), new BigDecimal("100"), 2L);
    static final Pricing PAYOUTS = new Pricing(PriceModel.GRADUATED_PERCENTAGE, Map.of(), null, List.of(
            new Tier(new BigDecimal("1000"), Map.of(), Map.of(), BigDecimal.ONE),
            new Tier(null, Map.of(), Map.of("USD", new BigDecimal("5.00")), new BigDecimal("0.5"))), null, Map.of(), null, Map.of(), null, null);
    static final Pricing DYNAMIC = new Pricing(PriceModel.DYNAMIC, Map.of(), null, List.of(), null, Map.of(), null, Map.of(), null, null);

    @ParameterizedTest(name = "{0} on {1} in {2} transactions = {3}")
    @CsvSource({
            "card, 0, 0, 0",
            "card, 100, 2, 0",           // within the free amount and the free transactions
            "card, 1450, 3, 39.45",       // 2.9% of 1350 + one paid transaction
            "card, 50, 5, 0.90",          // below the free amount: only the fixed fees of 3 paid transactions
            "payouts, 0, 0, 0",           // zero reaches no tier
            "payouts, 1000, 4, 10",       // the first tier only
            "payouts, 1450, 3, 17.25",    // 10 + 0.5% of 450 + the flat 5.00 for reaching the second tier
            "dynamic, 2.6283, 3, 2.6283", // the events' own prices, unrounded
    })
    void prices(String model, String amount, long transactions, String expected) {
        Pricing p = switch (model) {
            case "card" -> CARD;
            case "payouts" -> PAYOUTS;
            default -> DYNAMIC;
        };
        assertThat(TransactionPricer.price(p, "USD", new BigDecimal(amount), transactions).amount()).isEqualByComparingTo(expected);
    }
}

package dev.accrue.core.rating;

import dev.accrue.core.catalog.PriceModel;
import dev.accrue.core.catalog.Pricing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.accrue.core.rating.Pricings.d;
import static dev.accrue.core.rating.Pricings.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A percentage fee bounded per transaction: each transaction's rate% × amount + fixed fee, clamped, times the transactions. */
class BoundedTransactionFeesTest {
    private static Pricing bounded(Map<String, BigDecimal> min, Map<String, BigDecimal> max) {
        return new Pricing(PriceModel.PERCENTAGE, null, null, List.of(), null, null, d("2"), usd("0.30"), null, null, min, max);
    }

    @ParameterizedTest(name = "{1} × {0}: {2} (min 0.50, max 5.00)")
    @CsvSource({"0, 1, 0.50", "5, 1, 0.50", "10, 1, 0.50", "10.01, 1, 0.5002", "100, 2, 4.60", "235, 1, 5.00", "1000, 3, 15.00", "50, 0, 0"})
    void eachTransactionIsClampedOnItsOwn(String amount, long transactions, String fees) {
        Pricing p = bounded(usd("0.50"), usd("5.00"));
        assertThat(TransactionPricer.boundedFees(p, "USD", d(amount), transactions).amount()).isEqualByComparingTo(fees);
    }

    @Test
    void aBoundMissingInTheCurrencyDoesNotBoundAndEitherBoundAlone() {
        assertThat(TransactionPricer.boundedFees(bounded(usd("0.50"), Map.of()), "USD", d("1000"), 1).amount()).isEqualByComparingTo("20.30");
        assertThat(TransactionPricer.boundedFees(bounded(Map.of(), usd("5.00")), "USD", d("1"), 1).amount()).isEqualByComparingTo("0.32");
        assertThat(TransactionPricer.boundedFees(bounded(usd("0.50"), usd("5.00")), "EUR", d("1000"), 1).amount()).isEqualByComparingTo("20.00");
    }

    @Test
    void aSumOfAmountsIsNotWhatBoundedFeesCost() {
        Pricing p = bounded(usd("0.50"), usd("5.00"));
        // one payment of 1,000.00 vs a hundred of 10.00: same sum, different fees
        assertThat(TransactionPricer.boundedFees(p, "USD", d("1000"), 1).amount()).isEqualByComparingTo("5.00");
        assertThat(TransactionPricer.boundedFees(p, "USD", d("10"), 100).amount()).isEqualByComparingTo("50.00");
        assertThat(p.boundsEachTransaction()).isTrue();
    }

    @Test
    void onlyPercentageTransactionsOfNonNegativeAmounts() {
        assertThatThrownBy(() -> TransactionPricer.boundedFees(bounded(usd("0.50"), usd("5.00")), "USD", d("-1"), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

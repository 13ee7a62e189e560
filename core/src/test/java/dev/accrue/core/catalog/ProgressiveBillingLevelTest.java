package dev.accrue.core.catalog;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The level a usage amount reaches: listed thresholds (reaching one counts), then whole recurring steps past the last. */
class ProgressiveBillingLevelTest {
    private static Map<String, BigDecimal> usd(String amount) {
        return Map.of("USD", new BigDecimal(amount));
    }

    @ParameterizedTest(name = "{0} USD → {1} (thresholds 20, 50; every 50 after)")
    @CsvSource({"0, 0", "19.99, 0", "20.00, 1", "49.99, 1", "50, 2", "99.99, 2", "100, 3", "250, 6"})
    void thresholdsThenRecurringSteps(String amount, long level) {
        var pb = new ProgressiveBilling(List.of(usd("20.00"), usd("50.00")), usd("50.00"), null);
        assertThat(pb.level(new BigDecimal(amount), "USD")).isEqualTo(level);
        assertThat(pb.scope()).isEqualTo(ProgressiveBilling.Scope.BILLING_PERIOD);
    }

    @ParameterizedTest(name = "{0} USD → {1}")
    @CsvSource({"0, 0", "29.99, 0", "30, 1", "95, 3"})
    void recurringAloneStepsFromZeroAndThresholdsAloneStopAtTheLast(String amount, long level) {
        assertThat(new ProgressiveBilling(List.of(), usd("30"), null).level(new BigDecimal(amount), "USD")).isEqualTo(level);
        assertThat(new ProgressiveBilling(List.of(usd("30")), Map.of(), null).level(new BigDecimal(amount), "USD")).isEqualTo(Math.min(level, 1));
    }
}

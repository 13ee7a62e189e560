package dev.accrue.core.alert;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThresholdsTest {
    private static BigDecimal d(String v) {
        return new BigDecimal(v);
    }

    @Test
    void percentagesAreOneToAThousandWithTwoDecimals() {
        assertThat(Thresholds.percentError(d("1"))).isNull();
        assertThat(Thresholds.percentError(d("1000"))).isNull();
        assertThat(Thresholds.percentError(d("99.75"))).isNull();
        assertThat(Thresholds.percentError(d("0.99"))).contains("1-1000");
        assertThat(Thresholds.percentError(d("1000.01"))).contains("1-1000");
        assertThat(Thresholds.percentError(d("50.125"))).contains("2 decimals");
        assertThat(Thresholds.percentError(null)).contains("nothing");
        assertThat(Thresholds.amountError(d("0"))).isNotNull();
        assertThat(Thresholds.amountError(d("0.5"))).isNull();
    }

    @Test
    void aThresholdIsReachedAtItsShareOfTheAllowanceOrItsAmount() {
        var thresholds = List.of(new Thresholds.Threshold(Thresholds.Kind.PERCENT, d("75")), new Thresholds.Threshold(Thresholds.Kind.PERCENT, d("90")),
                new Thresholds.Threshold(Thresholds.Kind.AMOUNT, d("800")));
        // 18,000 s included: 75 % is 13,500 s, 90 % 16,200 s
        assertThat(Thresholds.reached(thresholds, d("13499"), d("18000"))).extracting(r -> r.threshold().key()).containsExactly("800");
        assertThat(Thresholds.reached(thresholds, d("13500"), d("18000"))).extracting(r -> r.threshold().key()).containsExactly("75%", "800");
        assertThat(Thresholds.reached(thresholds, d("16200"), d("18000"))).extracting(r -> r.limit().stripTrailingZeros().toPlainString())
                .containsExactly("13500", "16200", "800");
        // nothing included: a percentage is never reached, an amount is
        assertThat(Thresholds.reached(thresholds, d("5000"), BigDecimal.ZERO)).extracting(r -> r.threshold().key()).containsExactly("800");
        assertThat(Thresholds.percentUsed(d("9000"), d("18000"))).isEqualByComparingTo("50");
    }
}

package dev.accrue.core.catalog;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which rental option prices a number: the most specific match, a left-out attribute matching anything. */
class RentalOptionsTest {
    private static RentalOption option(Map<String, String> match, String fee) {
        return new RentalOption(match, Map.of("USD", new BigDecimal(fee)), null);
    }

    private static final Rental NUMBERS = new Rental("numbers", List.of("country", "type"), List.of(
            option(Map.of("country", "US", "type", "local"), "2.00"),
            option(Map.of("country", "US", "type", "toll_free"), "3.00"),
            option(Map.of("type", "local"), "4.00")), 0, 0, List.of());

    private static String fee(String country, String type) {
        return NUMBERS.optionFor(Map.of("country", country, "type", type)).map(o -> o.monthlyFee().get("USD").toPlainString()).orElse("none");
    }

    @Test
    void theMostSpecificOptionWinsAndALeftOutAttributeMatchesAnything() {
        assertThat(fee("US", "local")).isEqualTo("2.00");
        assertThat(fee("US", "toll_free")).isEqualTo("3.00");
        assertThat(fee("DE", "local")).isEqualTo("4.00");       // the ai-employees demo's "any other country"
        assertThat(fee("DE", "toll_free")).isEqualTo("none");
    }

    @Test
    void onATieTheFirstListedOptionWins() {
        Rental tie = new Rental(null, List.of("country", "type"), List.of(option(Map.of("country", "US"), "1.00"), option(Map.of("type", "local"), "5.00")),
                0, 0, List.of());
        assertThat(tie.optionFor(Map.of("country", "US", "type", "local")).orElseThrow().monthlyFee().get("USD")).isEqualByComparingTo("1.00");
    }
}

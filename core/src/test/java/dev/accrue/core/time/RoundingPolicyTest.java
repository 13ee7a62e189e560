package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;
import org.junit.jupiter.api.Test;

import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundingPolicyTest {

    @Test
    void defaultsToHalfUp() {
        assertThat(new RoundingPolicy()).isEqualTo(RoundingPolicy.DEFAULT);
        assertThat(RoundingPolicy.DEFAULT.apply(Money.of("0.005", "USD"))).isEqualTo(Money.of("0.01", "USD"));
        assertThat(RoundingPolicy.DEFAULT.apply(Money.of("3.666666", "USD"))).isEqualTo(Money.of("3.67", "USD"));
    }

    @Test
    void honoursTheTenantsMode() {
        assertThat(new RoundingPolicy(RoundingMode.HALF_EVEN).apply(Money.of("0.125", "EUR"))).isEqualTo(Money.of("0.12", "EUR"));
        assertThat(new RoundingPolicy(RoundingMode.DOWN).apply(Money.of("12.6", "JPY"))).isEqualTo(Money.of("12", "JPY"));
    }

    @Test
    void refusesUnnecessary() {
        assertThatThrownBy(() -> new RoundingPolicy(RoundingMode.UNNECESSARY)).isInstanceOf(AccrueException.class);
    }
}

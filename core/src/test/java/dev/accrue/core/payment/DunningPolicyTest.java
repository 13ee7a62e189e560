package dev.accrue.core.payment;

import dev.accrue.core.error.AccrueException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DunningPolicyTest {
    private static final Instant FIRST = Instant.parse("2026-06-01T09:00:00Z");

    @Test
    void retriesFallOneThreeFiveAndSevenDaysAfterTheFirstFailureThenGrace() {
        DunningPolicy p = DunningPolicy.DEFAULT;
        assertThat(p.afterFailure(0, FIRST, FIRST)).isEqualTo(new DunningPolicy.Next(false, 1, Instant.parse("2026-06-02T09:00:00Z")));
        assertThat(p.afterFailure(1, FIRST, Instant.parse("2026-06-02T10:00:00Z")).at()).isEqualTo(Instant.parse("2026-06-04T09:00:00Z"));
        assertThat(p.afterFailure(2, FIRST, FIRST).at()).isEqualTo(Instant.parse("2026-06-06T09:00:00Z"));
        assertThat(p.afterFailure(3, FIRST, FIRST).at()).isEqualTo(Instant.parse("2026-06-08T09:00:00Z"));
        // after the 4th retry: no more retries, suspension 3 days after that last failure
        assertThat(p.afterFailure(4, FIRST, Instant.parse("2026-06-08T10:00:00Z")))
                .isEqualTo(new DunningPolicy.Next(true, 4, Instant.parse("2026-06-11T10:00:00Z")));
    }

    @Test
    void noRetriesMeansGraceAtOnce() {
        assertThat(new DunningPolicy(List.of(), 0).afterFailure(0, FIRST, FIRST)).isEqualTo(new DunningPolicy.Next(true, 0, FIRST));
    }

    @Test
    void aScheduleMustIncreaseAndStayWithinSixtyDays() {
        assertThatThrownBy(() -> new DunningPolicy(List.of(3, 3), 1)).isInstanceOf(AccrueException.class).hasMessageContaining("increasing");
        assertThatThrownBy(() -> new DunningPolicy(List.of(0), 1)).isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> new DunningPolicy(List.of(61), 1)).isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> new DunningPolicy(List.of(1), 61)).isInstanceOf(AccrueException.class);
    }
}

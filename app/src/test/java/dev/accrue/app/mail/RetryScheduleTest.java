package dev.accrue.app.mail;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {
    @Test
    void waitsDoubleFromOneMinuteUpToFourHoursAndGiveUpAfterTenAttemptsSpanningHours() {
        assertThat(RetrySchedule.delayAfter(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RetrySchedule.delayAfter(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetrySchedule.delayAfter(8)).isEqualTo(Duration.ofMinutes(128));
        assertThat(RetrySchedule.delayAfter(9)).isEqualTo(Duration.ofHours(4));
        assertThat(RetrySchedule.delayAfter(60)).isEqualTo(Duration.ofHours(4));
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < RetrySchedule.MAX_ATTEMPTS; attempt++) {
            total = total.plus(RetrySchedule.delayAfter(attempt));
        }
        assertThat(total).isBetween(Duration.ofHours(24), Duration.ofHours(30));
        assertThat(RetrySchedule.exhausted(RetrySchedule.MAX_ATTEMPTS - 1)).isFalse();
        assertThat(RetrySchedule.exhausted(RetrySchedule.MAX_ATTEMPTS)).isTrue();
        assertThatThrownBy(() -> RetrySchedule.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

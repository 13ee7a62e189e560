package dev.accrue.core.telecom;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallLegsTest {

    @Test
    void aPlainCallIsOneLeg() {
        assertThat(CallLegs.of(CallEvent.inbound(83))).containsExactly(new CallLeg(CallDirection.INBOUND, 83, null));
        assertThat(CallLegs.of(CallEvent.outbound(83))).containsExactly(new CallLeg(CallDirection.OUTBOUND, 83, null));
    }

    @Test
    void aForwardedInboundCallIsTwoLegsOfTheSameDuration() {
        assertThat(CallLegs.of(CallEvent.forwarded(83, "+4930123456"))).containsExactly(
                new CallLeg(CallDirection.INBOUND, 83, null),
                new CallLeg(CallDirection.OUTBOUND, 83, "+4930123456"));
        assertThat(CallLegs.of(CallEvent.forwarded(83, "+4930123456")).get(1).quantity()).isEqualByComparingTo("83");
    }

    @Test
    void anUnansweredCallStillYieldsItsLegsAtZeroSeconds() {
        assertThat(CallLegs.of(CallEvent.forwarded(0, "+4930123456"))).extracting(CallLeg::seconds).containsExactly(0L, 0L);
    }

    @Test
    void negativeDurationsAreRefused() {
        assertThatThrownBy(() -> CallEvent.inbound(-1))
                .isInstanceOfSatisfying(AccrueException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.field()).isEqualTo("duration_seconds");
                });
    }

    @Test
    void malformedForwardsAreRefused() {
        assertThatThrownBy(() -> new CallEvent(CallDirection.OUTBOUND, 10, "+4930123456"))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("forwarded_to"));
        assertThatThrownBy(() -> CallEvent.forwarded(10, " "))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("forwarded_to"));
    }
}

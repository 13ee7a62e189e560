package dev.accrue.core.metering;

import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.Metric;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TelecomEventsTest {
    private static final Metric SMS = new Metric("sms_segments", null, Aggregation.SUM, "segments", "segment", null, List.of("direction", "country", "kind"));
    private static final Metric CALLS = new Metric("call_seconds", null, Aggregation.SUM, "duration_seconds", "second", null, List.of("direction"));

    @Test
    void aTextBecomesItsSegments() {
        var e = TelecomEvents.expand(new RawEvent("m1", "c", "sms_segments", "t", Map.of("text", "ж".repeat(71), "direction", "outbound")), SMS);
        assertThat(e).hasSize(1);
        assertThat(e.getFirst().properties()).containsEntry("segments", BigInteger.TWO).containsEntry("encoding", "ucs_2").doesNotContainKey("text");
    }

    @Test
    void anOptOutAutoReplyIsAnOutboundSms() {
        var e = TelecomEvents.expand(new RawEvent("r1", "c", "sms_segments", "t", Map.of("kind", "opt_out_reply", "text", "STOP received", "country", "US")), SMS);
        assertThat(e.getFirst().properties()).containsEntry("kind", "sms").containsEntry("direction", "outbound")
                .containsEntry("auto_reply", true).containsEntry("segments", BigInteger.ONE);
    }

    @Test
    void aForwardedInboundCallIsTwoLegsAndOtherCallsStayOne() {
        var legs = TelecomEvents.expand(new RawEvent("c1", "c", "call_seconds", "t",
                Map.of("duration_seconds", 83, "direction", "inbound", "forwarded_to", "+33612345678")), CALLS);
        assertThat(legs).extracting(RawEvent::eventId).containsExactly("c1:in", "c1:out");
        assertThat(legs.get(1).properties()).containsEntry("direction", "outbound").containsEntry("destination", "+33612345678");
        assertThat(TelecomEvents.expand(new RawEvent("c2", "c", "call_seconds", "t", Map.of("duration_seconds", 83, "direction", "outbound")), CALLS)).hasSize(1);
    }
}

package dev.accrue.core.metering;

import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.telecom.NumberCountries;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TelecomEventsTest {
    private static final Metric SMS = new Metric("sms_segments", null, Aggregation.SUM, "segments", "segment", null, List.of("direction", "country", "kind"));
    /** A stand-in numbering plan: +33 is France, +49 Germany, a national 0… number belongs to the country it is dialled from. */
    private static final NumberCountries COUNTRIES = (number, from) -> number.startsWith("+33") ? Optional.of("FR")
            : number.startsWith("+49") ? Optional.of("DE") : number.startsWith("0") ? Optional.ofNullable(from) : Optional.empty();
    private static final Metric CALLS = new Metric("call_seconds", null, Aggregation.SUM, "duration_seconds", "second", null, List.of("direction"));

    @Test
    void aTextBecomesItsSegments() {
        var e = expand(new RawEvent("m1", "c", "sms_segments", "t", Map.of("text", "ж".repeat(71), "direction", "outbound")), SMS).events();
        assertThat(e).hasSize(1);
        assertThat(e.getFirst().properties()).containsEntry("segments", BigInteger.TWO).containsEntry("encoding", "ucs_2").doesNotContainKey("text");
    }

    @Test
    void anOptOutAutoReplyIsAnOutboundSms() {
        var e = expand(new RawEvent("r1", "c", "sms_segments", "t", Map.of("kind", "opt_out_reply", "text", "STOP received", "country", "US")), SMS).events();
        assertThat(e.getFirst().properties()).containsEntry("kind", "sms").containsEntry("direction", "outbound")
                .containsEntry("auto_reply", true).containsEntry("segments", BigInteger.ONE);
    }

    @Test
    void aForwardedInboundCallIsTwoLegsAndOtherCallsStayOne() {
        var legs = expand(new RawEvent("c1", "c", "call_seconds", "t",
                Map.of("duration_seconds", 83, "direction", "inbound", "country", "US", "forwarded_to", "+33612345678")), CALLS).events();
        // the inbound leg is the call as sent; the outbound leg's id is one no client can send
        assertThat(legs).extracting(RawEvent::eventId).containsExactly("c1", "c1#out");
        assertThat(EventRules.validId(legs.get(1).eventId())).isFalse();
        assertThat(TelecomEvents.isForwardLeg(legs.get(1).eventId())).isTrue();
        assertThat(TelecomEvents.isForwardLeg("c1")).isFalse();
        assertThat(legs.get(0).properties()).containsEntry("direction", "inbound").containsEntry("country", "US").doesNotContainKey("forwarded_to");
        // the outbound leg is rated at the destination's country, not the caller's
        assertThat(legs.get(1).properties()).containsEntry("direction", "outbound").containsEntry("destination", "+33612345678")
                .containsEntry("country", "FR");
        assertThat(expand(new RawEvent("c2", "c", "call_seconds", "t", Map.of("duration_seconds", 83, "direction", "outbound")), CALLS).events()).hasSize(1);
    }

    @Test
    void aNationalForwardIsReadFromTheTrackedNumbersCountryAndAnUnknownOneIsRefused() {
        var legs = expand(new RawEvent("c3", "c", "call_seconds", "t",
                Map.of("duration_seconds", 5, "direction", "inbound", "country", "DE", "forwarded_to", "030123456")), CALLS).events();
        assertThat(legs.get(1).properties()).containsEntry("country", "DE");
        var refused = expand(new RawEvent("c4", "c", "call_seconds", "t",
                Map.of("duration_seconds", 5, "direction", "inbound", "forwarded_to", "+999")), CALLS);
        assertThat(refused.events()).isEmpty();
        assertThat(refused.rejection().code()).isEqualTo("invalid_phone_number");
        assertThat(refused.rejection().field()).isEqualTo("properties.forwarded_to");
    }

    private static TelecomEvents.Expansion expand(RawEvent raw, Metric metric) {
        return TelecomEvents.expand(raw, metric, COUNTRIES);
    }
}

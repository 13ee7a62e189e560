package dev.accrue.core.metering;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-event fast paths (timestamp, id) agree with the generic ones they replace. */
class EventRulesParsingTest {

    @Property
    void theFastTimestampPathAgreesWithInstantParse(@ForAll @LongRange(min = -62_000_000_000L, max = 250_000_000_000L) long seconds,
                                                     @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
        Instant instant = Instant.ofEpochSecond(seconds, nanos);
        String text = instant.toString();
        assertThat(EventRules.parseInstant(text)).isEqualTo(Instant.parse(text));
        String millis = Instant.ofEpochSecond(seconds, nanos / 1_000_000 * 1_000_000).toString();
        assertThat(EventRules.parseInstant(millis)).isEqualTo(Instant.parse(millis));
    }

    @Test
    void otherFormsAndErrorsAreInstantParsesOwn() {
        for (String text : new String[]{"2026-06-01T12:00:00Z", "2026-02-28T23:59:59.5Z", "2024-02-29T00:00:00Z", "2026-06-01T12:00:00+02:00",
                "2026-06-01T12:00:00.123456789Z"}) {
            assertThat(EventRules.parseInstant(text)).isEqualTo(Instant.parse(text));
        }
        for (String text : new String[]{"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-06-01T24:00:00Z", "2026-06-01T12:00:00.Z",
                "2026-06-01 12:00:00Z", "2026-06-01T12:00:00", "yesterday", "2026-06-31T00:00:00Z", "2026-06-01T12:00:00.1234567890Z"}) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeException e) {
                assertThatThrownBy(() -> EventRules.parseInstant(text)).isInstanceOf(DateTimeException.class).hasMessage(e.getMessage());
                continue;
            }
            assertThat(EventRules.parseInstant(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void idsAreLettersDigitsAndAFewSymbols() {
        assertThat(EventRules.validId("call-8812:in")).isTrue();
        assertThat(EventRules.validId("a_b.c:d@e/f+g=h-i")).isTrue();
        assertThat(EventRules.validId("x".repeat(200))).isTrue();
        assertThat(EventRules.validId("x".repeat(201))).isFalse();
        assertThat(EventRules.validId("")).isFalse();
        assertThat(EventRules.validId("a b")).isFalse();
        assertThat(EventRules.validId("é")).isFalse();
        assertThat(EventRules.validId("a\n")).isFalse();
    }
}

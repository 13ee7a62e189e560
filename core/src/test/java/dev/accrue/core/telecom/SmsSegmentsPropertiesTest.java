package dev.accrue.core.telecom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmsSegmentsPropertiesTest {

    @Property
    void segmentsAlwaysHoldTheWholeText(@ForAll("texts") String text) {
        SmsSegments s = SmsSegments.of(text);
        int capacity = s.segments() == 1 ? s.encoding().single() : s.encoding().perPart();
        assertThat(s.segments()).isPositive();
        assertThat((long) s.segments() * capacity).isGreaterThanOrEqualTo(s.units());
    }

    @Property
    void partsRejoinToTheTextAndNeverCutAPair(@ForAll("texts") String text) {
        SmsEncoding encoding = SmsSegments.encoding(text);
        List<String> parts = SmsSegments.split(text);
        assertThat(String.join("", parts)).isEqualTo(text);
        assertThat(parts).hasSize(SmsSegments.of(text).segments());
        for (String part : parts) {
            // each part must itself fit, counted with the same encoding (escape pairs cost 2 septets)
            int limit = parts.size() == 1 ? encoding.single() : encoding.perPart();
            assertThat(SmsSegments.units(part, encoding)).isLessThanOrEqualTo(limit);
            assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).isFalse();
            assertThat(Character.isLowSurrogate(part.charAt(0))).isFalse();
        }
    }

    @Property
    void shortGsmTextsAreOneSegment(@ForAll("gsmTexts") String text) {
        if (SmsSegments.units(text, SmsEncoding.GSM_7) <= 160) {
            assertThat(SmsSegments.of(text).segments()).isEqualTo(1);
        } else {
            assertThat(SmsSegments.of(text).segments()).isGreaterThan(1);
        }
    }

    @Provide
    Arbitrary<String> gsmTexts() {
        return Arbitraries.strings().withChars((Gsm7.BASIC + Gsm7.EXTENSION).toCharArray()).ofMinLength(1).ofMaxLength(400);
    }

    /** GSM text, GSM with extension characters, Cyrillic, and emoji mixed in, so every encoding path is hit. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().withChars(Gsm7.BASIC.toCharArray()).ofMinLength(1).ofMaxLength(60),
                Arbitraries.strings().withChars(Gsm7.EXTENSION.toCharArray()).ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withCharRange('а', 'я').ofMinLength(1).ofMaxLength(30),
                Arbitraries.of("😀", "👍🏽", "🇩🇪", "𝄞"));
        Arbitrary<String> gsmOnly = Arbitraries.strings().withChars((Gsm7.BASIC + Gsm7.EXTENSION).toCharArray())
                .ofMinLength(1).ofMaxLength(400);
        return Arbitraries.oneOf(gsmOnly, pieces.list().ofMinSize(1).ofMaxSize(15).map(l -> String.join("", l)));
    }
}

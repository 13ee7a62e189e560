package dev.accrue.core.telecom;

import dev.accrue.core.error.AccrueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmsSegmentsTest {

    private static final String EMOJI = "😀"; // U+1F600: one character, two UTF-16 units

    @Test
    void basicTableHasAllOfGsm0338ButTheEscape() {
        assertThat(Gsm7.BASIC).hasSize(127);
        assertThat(Gsm7.BASIC.chars().distinct().count()).isEqualTo(127);
        assertThat(SmsSegments.encoding("Ça coûte")).isEqualTo(SmsEncoding.UCS_2); // û is not GSM-7
        assertThat(SmsSegments.encoding("Ça va, Åsa? ΔΦΓΛΩΠΨΣΘΞ ¿¡ §¤ ñ ü à ß @£$¥")).isEqualTo(SmsEncoding.GSM_7);
        assertThat(SmsSegments.encoding("Α")).isEqualTo(SmsEncoding.UCS_2); // Greek capital alpha is not Latin A
        assertThat(SmsSegments.encoding("\u001B")).isEqualTo(SmsEncoding.UCS_2);
    }

    @ParameterizedTest(name = "GSM-7, {0} characters: {1} segments")
    @CsvSource({"1, 1", "160, 1", "161, 2", "306, 2", "307, 3", "459, 3", "460, 4"})
    void gsmSegments(int length, int segments) {
        SmsSegments s = SmsSegments.of("a".repeat(length));
        assertThat(s.encoding()).isEqualTo(SmsEncoding.GSM_7);
        assertThat(s.segments()).isEqualTo(segments);
        assertThat(s.characters()).isEqualTo(length);
    }

    @ParameterizedTest(name = "UCS-2, {0} units: {1} segments")
    @CsvSource({"1, 1", "70, 1", "71, 2", "134, 2", "135, 3"})
    void ucs2Segments(int length, int segments) {
        SmsSegments s = SmsSegments.of("ж".repeat(length));
        assertThat(s.encoding()).isEqualTo(SmsEncoding.UCS_2);
        assertThat(s.segments()).isEqualTo(segments);
    }

    @Test
    void emptyTextIsOneSegment() {
        assertThat(SmsSegments.of("")).isEqualTo(new SmsSegments(SmsEncoding.GSM_7, 1, 0, 0));
    }

    @Test
    void extensionCharactersCountDouble() {
        assertThat(SmsSegments.of("€".repeat(80))).isEqualTo(new SmsSegments(SmsEncoding.GSM_7, 1, 80, 160));
        assertThat(SmsSegments.of("€".repeat(81)).segments()).isEqualTo(2);
        assertThat(SmsSegments.of("{}[]~|^\\\f").units()).isEqualTo(18);
        assertThat(SmsSegments.of("a".repeat(159) + "€").segments()).isEqualTo(2); // 161 septets
    }

    @Test
    void anEscapePairMovesWholeToTheNextPart() {
        // 152 septets + € (2) would be 154: the € starts part two instead of being cut after its escape
        List<String> parts = SmsSegments.split("a".repeat(152) + "€" + "b".repeat(10));
        assertThat(parts).containsExactly("a".repeat(152), "€" + "b".repeat(10));
    }

    @Test
    void emojiStayWhole() {
        assertThat(SmsSegments.of(EMOJI.repeat(35))).isEqualTo(new SmsSegments(SmsEncoding.UCS_2, 1, 35, 70));
        // "a" + 33 emoji is 67 units; a split at 67 units from "ab" would cut the 33rd emoji in half
        List<String> parts = SmsSegments.split("ab" + EMOJI.repeat(40));
        assertThat(parts).containsExactly("ab" + EMOJI.repeat(32), EMOJI.repeat(8));
        assertThat(parts.get(0)).hasSize(66);
    }

    @Test
    void nullTextIsRefused() {
        assertThatThrownBy(() -> SmsSegments.of(null))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("text"));
    }
}

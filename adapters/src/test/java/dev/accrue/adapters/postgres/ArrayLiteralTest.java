package dev.accrue.adapters.postgres;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The array literals the usage insert sends: quoting, NULLs, and instants written without the generic formatter. */
class ArrayLiteralTest {

    @Test
    void elementsAreQuotedAndEscaped() {
        var literal = new PostgresUsage.ArrayLiteral(16);
        literal.add("plain");
        literal.add(null);
        literal.add("say \"hi\" \\ bye");
        literal.add("");
        assertThat(literal.text()).isEqualTo("{\"plain\",NULL,\"say \\\"hi\\\" \\\\ bye\",\"\"}");
    }

    @Test
    void instantsReadBackAsTheSameInstant() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-62_000_000_000L, 250_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(seconds, nanos);
            var literal = new PostgresUsage.ArrayLiteral(40);
            literal.addInstant(at);
            String text = literal.text();
            assertThat(text).startsWith("{\"").endsWith("\"}");
            String written = text.substring(2, text.length() - 2);
            assertThat(Instant.parse(written)).as(written).isEqualTo(at);
            if (at.atZone(java.time.ZoneOffset.UTC).getYear() >= 1000 && at.atZone(java.time.ZoneOffset.UTC).getYear() <= 9999) {
                assertThat(written).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{9})?Z");
            }
        }
        var two = new PostgresUsage.ArrayLiteral(40);
        two.addInstant(Instant.parse("2026-06-01T12:00:00Z"));
        two.addInstant(Instant.parse("2026-06-01T12:00:00.5Z"));
        assertThat(two.text()).isEqualTo("{\"2026-06-01T12:00:00Z\",\"2026-06-01T12:00:00.500000000Z\"}");
    }
}

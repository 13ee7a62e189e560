package dev.accrue.adapters.http.observe;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's duration is written without String.format on every request; it must read exactly as "%.1f" did. */
class AccessLogDurationTest {
    @Test
    void tenthsOfMillisReadAsFormatDid() {
        long[] edges = {0, 49_999, 50_000, 99_999, 100_000, 949_999, 950_000, 1_000_000, 12_345_678, 9_999_950_000L};
        for (long nanos : edges) {
            assertThat(RequestContext.tenthsOfMillis(nanos)).as("%d ns", nanos).isEqualTo(String.format(Locale.ROOT, "%.1f", nanos / 1_000_000.0));
        }
        for (int i = 0; i < 10_000; i++) {
            long nanos = ThreadLocalRandom.current().nextLong(0, 60_000_000_000L) / 1_000 * 1_000; // whole microseconds: no binary-fraction ties
            assertThat(RequestContext.tenthsOfMillis(nanos)).as("%d ns", nanos).isEqualTo(String.format(Locale.ROOT, "%.1f", nanos / 1_000_000.0));
        }
    }
}

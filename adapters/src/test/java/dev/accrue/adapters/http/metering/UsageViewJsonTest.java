package dev.accrue.adapters.http.metering;

import dev.accrue.adapters.json.Json;
import dev.accrue.app.metering.UsageView;
import dev.accrue.core.addon.AllowanceSources;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage view's streamed answer is, byte for byte, what the generic JSON binding writes for the same view. */
class UsageViewJsonTest {
    @Test
    void writesTheBytesTheGenericWriterWrites() {
        Map<String, BigDecimal> dims = new LinkedHashMap<>();
        dims.put("direction=inbound|ai_employee=e1", new BigDecimal("1200.50"));
        dims.put("country=\"FR\"|name=é\u20ac\uD83D\uDE00\\", new BigDecimal("1E+3"));
        dims.put("", BigDecimal.ZERO);
        var metered = new UsageView.ChargeUsage("minutes", "call_seconds", "second", new BigDecimal("19200.5"), new BigDecimal("18000"),
                BigDecimal.ZERO, new BigDecimal("106.67"), new BigDecimal("25000"), "2.41", "12.00", dims, List.of(
                        new AllowanceSources.Consumed("plan:pro", AllowanceSources.Kind.PLAN, new BigDecimal("18000"), new BigDecimal("18000"),
                                BigDecimal.ZERO, null),
                        new AllowanceSources.Consumed("bundle_1", AllowanceSources.Kind.BUNDLE, new BigDecimal("500"), new BigDecimal("0.25"),
                                new BigDecimal("499.75"), LocalDate.of(2026, 7, 1))));
        var gauge = new UsageView.ChargeUsage("storage", "gb", null, new BigDecimal("0.000001"), BigDecimal.ZERO, BigDecimal.ZERO, null,
                new BigDecimal("0.000001"), "0.00", null, Map.of(), List.of());
        for (UsageView view : List.of(
                new UsageView("sub_1", LocalDate.of(2026, 6, 1), LocalDate.of(2026, 7, 1), LocalDate.of(2026, 6, 23), List.of(metered, gauge)),
                new UsageView("sub_\"2\"", LocalDate.of(2026, 6, 1), LocalDate.of(2026, 7, 1), LocalDate.of(2026, 6, 1), List.of()))) {
            assertThat(new String(UsageViewJson.write(view), StandardCharsets.UTF_8)).isEqualTo(Json.write(view));
        }
    }
}

package dev.accrue.adapters.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.accrue.app.metering.UsageFold;
import dev.accrue.core.metering.MeteredEvent;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The intake record's value, written and read token by token: every field survives, numbers exactly, and bad records are refused. */
class LoggedEventsTest {
    private static final ObjectMapper BOUND = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private static Map<String, Object> properties() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("country", "FR");
        nested.put("tags", List.of("a", 2, true));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("duration_seconds", 61);
        p.put("bytes", 12_345_678_901L);
        p.put("huge", new BigInteger("123456789012345678901234567890"));
        p.put("price", new BigDecimal("0.1000000000000000000000000001"));
        p.put("tiny", new BigDecimal("1E-30"));
        p.put("direction", "outbound \"quoted\" \u00e9\u4e2d");
        p.put("flag", false);
        p.put("nothing", null);
        p.put("where", nested);
        return p;
    }

    private static MeteredEvent leg(String id, BigDecimal quantity, Map<String, Object> props, boolean late, String unique, boolean keep, String op) {
        return new MeteredEvent(id, "cus_1", "sub_1", "call_seconds", Instant.parse("2026-06-10T11:00:00.123456Z"), LocalDate.parse("2026-06-10"),
                quantity, "direction=outbound", true, props, late, unique, keep, op);
    }

    @Test
    void everyFieldOfEveryLegSurvivesTheLog() {
        List<MeteredEvent> legs = List.of(leg("call-1", new BigDecimal("61.500"), properties(), false, null, false, null),
                leg("call-1:fwd", new BigDecimal("1E+3"), Map.of(), true, "+33123456789", true, "add"));
        UsageFold.Logged read = LoggedEvents.read(LoggedEvents.write("ten_1", legs));
        assertThat(read.tenantId()).isEqualTo("ten_1");
        assertThat(read.events()).hasSize(2);
        // BigDecimal's equals minds the scale, so the quantities are exactly as written, 61.500 and 1000 included
        assertThat(read.events().get(0)).isEqualTo(legs.get(0));
        assertThat(read.events().get(0).quantity().toPlainString()).isEqualTo("61.500");
        assertThat(read.events().get(1).quantity()).isEqualByComparingTo("1000");
        assertThat(read.events().get(1)).usingRecursiveComparison().ignoringFields("quantity").isEqualTo(legs.get(1));
        assertThat(read.events().get(0).properties()).containsExactlyEntriesOf(properties());
    }

    @Test
    void readsWhatJacksonsBindingReadsFromTheSameBytes() throws Exception {
        byte[] value = LoggedEvents.write("ten_1", List.of(leg("e-1", BigDecimal.ONE, properties(), false, null, false, null)));
        // the way the fold read records before: untyped binding with exact decimals
        Map<?, ?> record = BOUND.readValue(value, Map.class);
        Object bound = ((Map<?, ?>) ((List<?>) record.get("legs")).getFirst()).get("properties");
        assertThat(LoggedEvents.read(value).events().getFirst().properties()).isEqualTo(bound);
    }

    @Test
    void nullsAndFieldsOfALaterVersionAreRead() {
        String json = """
                {"version": 2, "tenant": "ten_1", "legs": [{"id": "e-1", "customer": "cus_1", "subscription": null, "metric": "m",
                 "occurredAt": "2026-06-10T11:00:00Z", "day": "2026-06-10", "quantity": null, "dimensions": null, "counted": false,
                 "properties": null, "late": false, "unique": null, "keepValue": false, "unitOp": null, "future": {"x": [1, {"y": 2}]}}]}""";
        MeteredEvent e = LoggedEvents.read(json.getBytes(StandardCharsets.UTF_8)).events().getFirst();
        assertThat(e).isEqualTo(new MeteredEvent("e-1", "cus_1", null, "m", Instant.parse("2026-06-10T11:00:00Z"), LocalDate.parse("2026-06-10"),
                null, null, false, Map.of(), false, null, false, null));
    }

    @Test
    void aDamagedRecordIsRefusedNotHalfRead() {
        byte[] whole = LoggedEvents.write("ten_1", List.of(leg("e-1", BigDecimal.TEN, properties(), false, null, false, null)));
        assertThatThrownBy(() -> LoggedEvents.read(Arrays.copyOf(whole, whole.length / 2))).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> LoggedEvents.read("{\"legs\": []}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("without a tenant");
        assertThatThrownBy(() -> LoggedEvents.read("{\"tenant\": \"t\", \"legs\": [{\"id\": \"e\"}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("lacks");
        assertThatThrownBy(() -> LoggedEvents.read("[1]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(UncheckedIOException.class);
    }
}

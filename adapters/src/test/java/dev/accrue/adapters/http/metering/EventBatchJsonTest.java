package dev.accrue.adapters.http.metering;

import dev.accrue.adapters.json.Json;
import dev.accrue.app.metering.EventResult;
import dev.accrue.app.metering.IngestResult;
import dev.accrue.core.metering.RawEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch fast path reads and writes exactly what the generic, strict JSON binding does, and leaves it every odd case. */
class EventBatchJsonTest {
    record Batch(List<RawEvent> events) {
    }

    private static List<RawEvent> generic(String json) throws Exception {
        return Json.MAPPER.readValue(json, Batch.class).events();
    }

    @Test
    void readsAPlainBatchLikeTheGenericBinding() throws Exception {
        String json = """
                {"events": [
                  {"event_id": "a-1", "customer_id": "cus_1", "metric": "call_seconds", "timestamp": "2026-06-20T11:00:00Z",
                   "properties": {"duration_seconds": 83, "direction": "inbound", "big": 123456789012345678901234567890, "long": 12345678901,
                                  "ratio": 1.50, "flag": true, "off": false, "none": null}},
                  {"metric": "sms", "event_id": "a-2", "customer_id": null, "timestamp": null, "properties": null},
                  {"event_id": "a-3"}
                ]}""";
        List<RawEvent> fast = EventBatchJson.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(fast).isNotSameAs(EventBatchJson.FALLBACK).isEqualTo(generic(json));
        assertThat(fast.getFirst().properties().get("duration_seconds")).isInstanceOf(Integer.class);
        assertThat(fast.getFirst().properties().get("ratio")).isEqualTo(new java.math.BigDecimal("1.50"));
        assertThat(EventBatchJson.read("{\"events\": []}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(EventBatchJson.read("{\"events\": null}".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void leavesEverythingElseToTheStrictBinding() {
        for (String json : new String[]{"", "[]", "{}", "{\"events\": {}}", "{\"events\": [], \"more\": 1}", "{\"events\": []} {}",
                "{\"events\": [{\"event_id\": 12}]}", "{\"events\": [{\"unknown\": 1}]}", "{\"events\": [{\"properties\": {\"a\": {\"b\": 1}}}]}",
                "{\"events\": [{\"properties\": {\"a\": [1]}}]}", "{\"events\": [{\"event_id\": \"a\", \"event_id\": \"b\"}]}",
                "{\"events\": [{\"event_id\": \"a\"", "{\"events\": [1]}", "{\"events\": [{\"properties\": 3}]}"}) {
            assertThat(EventBatchJson.read(json.getBytes(StandardCharsets.UTF_8))).as(json).isSameAs(EventBatchJson.FALLBACK);
        }
    }

    @Test
    void writesTheBytesTheGenericWriterWrites() {
        IngestResult result = new IngestResult(1, 1, 1, List.of(
                new EventResult(0, "a-1", EventResult.ACCEPTED, null, null, null),
                new EventResult(1, "a-\"2\"é", EventResult.DUPLICATE, null, null, null),
                new EventResult(2, null, EventResult.REJECTED, "missing_field", "event_id", "event_id is required")));
        assertThat(new String(EventBatchJson.write(result), StandardCharsets.UTF_8)).isEqualTo(Json.write(result));
    }
}

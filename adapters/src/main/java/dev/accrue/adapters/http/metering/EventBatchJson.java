package dev.accrue.adapters.http.metering;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.accrue.adapters.http.support.OpenApiTextLimits;
import dev.accrue.adapters.json.Json;
import dev.accrue.adapters.json.StrictJsonParser;
import dev.accrue.adapters.json.TextLimits;
import dev.accrue.app.metering.EventResult;
import dev.accrue.app.metering.IngestResult;
import dev.accrue.core.metering.RawEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hot path of {@code POST /v1/events/batch} in JSON: the batch read token by token straight into
 * {@link RawEvent}s (no bean binding, no intermediate tree) and the results written straight to bytes. The
 * reader handles well-formed batches only: for anything else (an unknown field, a wrong type, malformed or
 * trailing JSON) it answers {@code null} and the caller binds the body the generic, strict way, so every error
 * is reported exactly as for any other endpoint. The bytes written are those {@link Json#write} would write.
 */
final class EventBatchJson {
    private EventBatchJson() {
    }

    private static final TextLimits LIMITS = OpenApiTextLimits.of("POST", "/v1/events/batch");

    /** Returned (compared by identity) when the body is not a plain batch. */
    static final List<RawEvent> FALLBACK = java.util.Collections.unmodifiableList(new ArrayList<>());

    /** The batch's events (null when the body says {@code "events": null}), or {@link #FALLBACK}. */
    static List<RawEvent> read(byte[] body) {
        // text the strict reader refuses (control characters, strings over the documented limits) falls back to it
        try (JsonParser p = new StrictJsonParser(Json.MAPPER.createParser(body), LIMITS)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME || !"events".equals(p.currentName())) {
                return FALLBACK;
            }
            JsonToken t = p.nextToken();
            List<RawEvent> events;
            if (t == JsonToken.VALUE_NULL) {
                events = null;
            } else if (t == JsonToken.START_ARRAY) {
                events = new ArrayList<>(Math.max(16, body.length / 160));
                while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                    RawEvent e = event(p);
                    if (e == null) {
                        return FALLBACK;
                    }
                    events.add(e);
                }
                if (t != JsonToken.END_ARRAY) {
                    return FALLBACK;
                }
            } else {
                return FALLBACK;
            }
            if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return FALLBACK;
            }
            return events;
        } catch (IOException e) {
            return FALLBACK; // malformed: the generic path reports it
        }
    }

    private static RawEvent event(JsonParser p) throws IOException {
        String eventId = null, customerId = null, metric = null, timestamp = null;
        Map<String, Object> properties = null;
        boolean[] seen = new boolean[5];
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int slot;
            switch (name) {
                case "event_id" -> slot = 0;
                case "customer_id" -> slot = 1;
                case "metric" -> slot = 2;
                case "timestamp" -> slot = 3;
                case "properties" -> slot = 4;
                default -> {
                    return null;
                }
            }
            if (seen[slot]) {
                return null;
            }
            seen[slot] = true;
            if (slot == 4) {
                if (v == JsonToken.START_OBJECT) {
                    properties = properties(p);
                    if (properties == null) {
                        return null;
                    }
                } else if (v != JsonToken.VALUE_NULL) {
                    return null;
                }
                continue;
            }
            String text;
            if (v == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else if (v == JsonToken.VALUE_NULL) {
                text = null;
            } else {
                return null;
            }
            switch (slot) {
                case 0 -> eventId = text;
                case 1 -> customerId = text;
                case 2 -> metric = text;
                default -> timestamp = text;
            }
        }
        return t == JsonToken.END_OBJECT ? new RawEvent(eventId, customerId, metric, timestamp, properties) : null;
    }

    /** A flat object of scalars as the generic binding reads it (nested values: null, so the generic path takes the batch). */
    private static Map<String, Object> properties(JsonParser p) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            Object value;
            switch (p.nextToken()) {
                case VALUE_STRING -> value = p.getText();
                case VALUE_NUMBER_INT -> {
                    Number n = p.getNumberValue();
                    value = n instanceof BigInteger || n instanceof Long || n instanceof Integer ? n : null;
                    if (value == null) {
                        return null;
                    }
                }
                case VALUE_NUMBER_FLOAT -> value = p.getDecimalValue();
                case VALUE_TRUE -> value = Boolean.TRUE;
                case VALUE_FALSE -> value = Boolean.FALSE;
                case VALUE_NULL -> value = null;
                default -> {
                    return null;
                }
            }
            map.put(name, value);
        }
        return t == JsonToken.END_OBJECT ? map : null;
    }

    static byte[] write(IngestResult result) {
        ByteArrayBuilder out = new ByteArrayBuilder(64 + result.results().size() * 80);
        write(result, out);
        return out.toByteArray();
    }

    /** Streams the results to {@code out} (the response, so a 10,000-result answer is never held as one buffer). */
    static void write(IngestResult result, java.io.OutputStream out) {
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("accepted", result.accepted());
            g.writeNumberField("duplicates", result.duplicates());
            g.writeNumberField("rejected", result.rejected());
            g.writeArrayFieldStart("results");
            for (EventResult r : result.results()) {
                g.writeStartObject();
                g.writeNumberField("index", r.index());
                g.writeStringField("event_id", r.eventId());
                g.writeStringField("status", r.status());
                g.writeStringField("code", r.code());
                g.writeStringField("field", r.field());
                g.writeStringField("message", r.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

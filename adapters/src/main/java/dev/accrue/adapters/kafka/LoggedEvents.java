package dev.accrue.adapters.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.accrue.app.metering.UsageFold;
import dev.accrue.core.metering.MeteredEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of one intake record: a tenant and the validated legs of one client event (a forwarded call's two legs
 * travel together, so a fold never sees one without the other). Numbers stay exact (BigDecimal both ways).
 * <pre>{"tenant": "...", "legs": [{"id", "customer", "subscription", "metric", "occurredAt", "day", "quantity",
 *   "dimensions", "counted", "properties", "late", "unique", "keepValue", "unitOp"}]}</pre>
 * Written and read token by token (Jackson's streaming API): binding a tree or a record per record cost the fold more
 * CPU than its SQL at thousands of records a second. Fields the reader does not know are skipped, so a node of the next
 * version may add one while older nodes still fold.
 */
final class LoggedEvents {
    private static final JsonFactory JSON = new JsonFactory();

    private LoggedEvents() {
    }

    static byte[] write(String tenantId, List<MeteredEvent> legs) {
        ByteArrayBuilder out = new ByteArrayBuilder(320 * legs.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            g.writeStartObject();
            g.writeStringField("tenant", tenantId);
            g.writeArrayFieldStart("legs");
            for (MeteredEvent e : legs) {
                g.writeStartObject();
                g.writeStringField("id", e.eventId());
                g.writeStringField("customer", e.customerId());
                g.writeStringField("subscription", e.subscriptionId());
                g.writeStringField("metric", e.metric());
                g.writeStringField("occurredAt", e.occurredAt().toString());
                g.writeStringField("day", e.day().toString());
                g.writeFieldName("quantity");
                if (e.quantity() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(e.quantity());
                }
                g.writeStringField("dimensions", e.dimensionKey());
                g.writeBooleanField("counted", e.counted());
                g.writeFieldName("properties");
                writeValue(g, e.properties());
                g.writeBooleanField("late", e.late());
                g.writeStringField("unique", e.uniqueValue());
                g.writeBooleanField("keepValue", e.keepValue());
                g.writeStringField("unitOp", e.unitOp());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Properties as validation left them: maps, lists, strings, booleans, numbers (exact) and nulls. */
    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case BigDecimal d -> g.writeNumber(d);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case java.math.BigInteger i -> g.writeNumber(i);
            case Number n -> g.writeNumber(new BigDecimal(n.toString()));
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (var entry : m.entrySet()) {
                    g.writeFieldName(String.valueOf(entry.getKey()));
                    writeValue(g, entry.getValue());
                }
                g.writeEndObject();
            }
            case Iterable<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    writeValue(g, item);
                }
                g.writeEndArray();
            }
            default -> g.writeString(value.toString());
        }
    }

    static UsageFold.Logged read(byte[] value) {
        try (JsonParser p = JSON.createParser(value)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            String tenant = null;
            List<MeteredEvent> legs = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                switch (field) {
                    case "tenant" -> tenant = text(p, token);
                    case "legs" -> legs = legs(p, token);
                    default -> p.skipChildren();
                }
            }
            if (tenant == null) {
                throw new IOException("an intake record without a tenant");
            }
            return new UsageFold.Logged(tenant, legs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<MeteredEvent> legs(JsonParser p, JsonToken token) throws IOException {
        expect(token, JsonToken.START_ARRAY, p);
        List<MeteredEvent> legs = new ArrayList<>(2);
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(token, JsonToken.START_OBJECT, p);
            legs.add(leg(p));
        }
        return legs;
    }

    private static MeteredEvent leg(JsonParser p) throws IOException {
        String id = null, customer = null, subscription = null, metric = null, dimensions = null, unique = null, unitOp = null;
        Instant occurredAt = null;
        LocalDate day = null;
        BigDecimal quantity = null;
        boolean counted = false, late = false, keepValue = false;
        Map<String, Object> properties = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            switch (field) {
                case "id" -> id = text(p, token);
                case "customer" -> customer = text(p, token);
                case "subscription" -> subscription = text(p, token);
                case "metric" -> metric = text(p, token);
                case "occurredAt" -> occurredAt = Instant.parse(text(p, token));
                case "day" -> day = LocalDate.parse(text(p, token));
                case "quantity" -> quantity = token == JsonToken.VALUE_NULL ? null : p.getDecimalValue();
                case "dimensions" -> dimensions = text(p, token);
                case "counted" -> counted = token == JsonToken.VALUE_TRUE;
                case "properties" -> properties = properties(p, token);
                case "late" -> late = token == JsonToken.VALUE_TRUE;
                case "unique" -> unique = text(p, token);
                case "keepValue" -> keepValue = token == JsonToken.VALUE_TRUE;
                case "unitOp" -> unitOp = text(p, token);
                default -> p.skipChildren();
            }
        }
        if (id == null || customer == null || metric == null || occurredAt == null || day == null) {
            throw new IOException("an intake record's leg lacks its id, customer, metric, occurredAt or day");
        }
        return new MeteredEvent(id, customer, subscription, metric, occurredAt, day, quantity, dimensions, counted, properties, late, unique,
                keepValue, unitOp);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(JsonParser p, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NULL ? Map.of() : (Map<String, Object>) value(p, token);
    }

    /** As Jackson binds untyped JSON with USE_BIG_DECIMAL_FOR_FLOATS: maps keep their order, integers are Integer, Long or BigInteger. */
    private static Object value(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, value(p, p.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(value(p, next));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + token + " in an intake record at " + p.currentLocation());
        };
    }

    private static String text(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.VALUE_STRING, p);
        return p.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual + " in an intake record at " + p.currentLocation());
        }
    }
}

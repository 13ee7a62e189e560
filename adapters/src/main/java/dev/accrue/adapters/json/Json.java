package dev.accrue.adapters.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.accrue.core.money.Money;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Currency;

/**
 * The one JSON configuration of the wire and of stored snapshots: snake_case names, ISO-8601 instants,
 * exact decimals, strict input (unknown fields, wrong types and numbers-as-strings are errors, not guesses).
 */
public final class Json {
    public static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static ObjectMapper create() {
        SimpleModule accrue = new SimpleModule("accrue");
        accrue.addSerializer(Money.class, new JsonSerializer<>() {
            @Override
            public void serialize(Money value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeStartObject();
                gen.writeStringField("amount", value.toPlainMinorString());
                gen.writeStringField("currency", value.currency().getCurrencyCode());
                gen.writeEndObject();
            }
        });
        accrue.addSerializer(Currency.class, new JsonSerializer<>() {
            @Override
            public void serialize(Currency value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.getCurrencyCode());
            }
        });
        // Enums go on the wire in snake_case ("auto_pay", "half_year"), matching their wire() forms in core.
        accrue.addSerializer(Enum.class, new JsonSerializer<>() {
            @Override
            public void serialize(Enum value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        // Decimals travel as strings ("30.00"): exact, and no client parses them into binary floating point.
        accrue.addSerializer(java.math.BigDecimal.class, new JsonSerializer<>() {
            @Override
            public void serialize(java.math.BigDecimal value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toPlainString());
            }
        });
        // A date or instant is a string ("2026-07-01", "2026-07-01T00:00:00Z"); a bare number is not read as epoch time.
        accrue.addDeserializer(java.time.Instant.class, new StringsOnly<>(java.time.Instant.class, InstantDeserializer.INSTANT));
        accrue.addDeserializer(java.time.OffsetDateTime.class, new StringsOnly<>(java.time.OffsetDateTime.class, InstantDeserializer.OFFSET_DATE_TIME));
        accrue.addDeserializer(java.time.LocalDate.class, new StringsOnly<>(java.time.LocalDate.class, LocalDateDeserializer.INSTANCE));
        // Buffers are pooled across threads: the default pool keeps them per thread, and with a virtual thread per
        // request every request allocated its own parse and write buffers (kilobytes each) and a soft reference to them.
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
        JsonMapper mapper = JsonMapper.builder(factory)
                .addMixIn(dev.accrue.core.catalog.Charge.class, dev.accrue.adapters.catalog.CatalogYaml.ChargeTypes.class)
                .addModule(new JavaTimeModule())
                .addModule(accrue)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // 1.5 is not an integer: refused (wrong_type), never rounded down to 1
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // enums are written in snake_case (below) and documented so: read them back the same way ("reset": "month")
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .build();
        // "12" is not a number and 12 is not a string: a client sending the wrong type hears about it.
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Amounts may come as decimal strings ("25.00"), the form the API itself writes them in.
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        return mapper;
    }

    /** Delegates to the JSR-310 deserializer for strings and refuses every other token as the wrong type. */
    private static final class StringsOnly<T> extends StdDeserializer<T> {
        private final JsonDeserializer<? extends T> strings;

        StringsOnly(Class<T> type, JsonDeserializer<? extends T> strings) {
            super(type);
            this.strings = strings;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                @SuppressWarnings("unchecked")
                T refused = (T) ctx.handleUnexpectedToken(handledType(), p);
                return refused;
            }
            return strings.deserialize(p, ctx);
        }
    }

    /** {@link #write} as UTF-8 bytes, without the intermediate string (what a response body is). */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

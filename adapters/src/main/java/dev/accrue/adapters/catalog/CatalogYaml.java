package dev.accrue.adapters.catalog;

import dev.accrue.adapters.json.JsonPaths;
import dev.accrue.adapters.json.StrictJsonParser;
import dev.accrue.adapters.json.StrictText;
import dev.accrue.adapters.json.TextLimits;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.CatalogValidator;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.CountedCharge;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.RecurringCharge;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads catalog YAML into the core model with Jackson (snake_case keys, unknown keys and wrong types refused
 * with their line and column), then runs the {@link CatalogValidator}. Every problem names the file.
 */
public final class CatalogYaml {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addMixIn(Charge.class, ChargeTypes.class)
            .addModule(new SimpleModule("catalog").addDeserializer(Instant.class, new EffectiveFrom()))
            .build();

    private CatalogYaml() {
    }

    /** The charge's {@code type} key picks its kind. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = RecurringCharge.class, name = "recurring"),
            @JsonSubTypes.Type(value = MeteredCharge.class, name = "metered"),
            @JsonSubTypes.Type(value = CountedCharge.class, name = "counted")})
    public interface ChargeTypes {
    }

    /** effective_from accepts an ISO instant or a plain date (midnight UTC). */
    private static final class EffectiveFrom extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            try {
                return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
            } catch (DateTimeException | NullPointerException e) {
                return (Instant) ctx.handleWeirdStringValue(Instant.class, text, "expected a date (2026-01-01) or an instant (2026-01-01T00:00:00Z)");
            }
        }
    }

    /** Parses and validates; throws {@link InvalidCatalogException} listing every problem found. */
    /** Records every unknown key and skips it, so one pass reports them all (not only the first). */
    private static final class UnknownKeys extends com.fasterxml.jackson.databind.deser.DeserializationProblemHandler {
        private final List<CatalogProblem> found = new java.util.ArrayList<>();

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctx, JsonParser p, JsonDeserializer<?> deserializer, Object beanOrClass,
                                             String propertyName) throws IOException {
            String parent = path(p.getParsingContext().getParent());
            found.add(new CatalogProblem(CatalogProblem.UNKNOWN_KEY, parent.isEmpty() ? propertyName : parent + "." + propertyName,
                    "unknown key '" + propertyName + "'"));
            p.skipChildren();
            return true;
        }

        private static String path(com.fasterxml.jackson.core.JsonStreamContext context) {
            java.util.Deque<String> steps = new java.util.ArrayDeque<>();
            for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inArray()) {
                    steps.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
                } else if (c.getCurrentName() != null) {
                    steps.push(c.getCurrentName());
                }
            }
            StringBuilder out = new StringBuilder();
            for (String step : steps) {
                if (!out.isEmpty() && !step.startsWith("[")) {
                    out.append('.');
                }
                out.append(step);
            }
            return out.toString();
        }
    }

    /** The largest catalog document, in characters: the largest demo catalog is about 20 KB. */
    public static final int MAX_CHARS = 1024 * 1024;
    /**
     * The longest line of a catalog document. The YAML reader's time grows with the square of a line's length
     * (a 20 MB one-line document kept a core busy for two minutes), so long lines are refused before it runs.
     */
    public static final int MAX_LINE = 4096;

    public static Catalog read(String fileName, String yaml) {
        requireReadable(fileName, yaml);
        Catalog catalog;
        UnknownKeys unknown = new UnknownKeys();
        try {
            catalog = YAML.readerFor(Catalog.class).withHandler(unknown).readValue(new StrictJsonParser(YAML.createParser(yaml), TextLimits.DEFAULT));
        } catch (StrictJsonParser.Refused e) {
            throw new InvalidCatalogException(List.of(located(YamlLocator.of(yaml),
                    new CatalogProblem(CatalogProblem.INVALID_VALUE, e.field(), e.getOriginalMessage())).inFile(fileName)));
        } catch (JsonProcessingException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof StrictJsonParser.Refused r) {
                    throw new InvalidCatalogException(List.of(located(YamlLocator.of(yaml),
                            new CatalogProblem(CatalogProblem.INVALID_VALUE, r.field(), r.getOriginalMessage())).inFile(fileName)));
                }
            }
            CatalogProblem problem = problemOf(e);
            if (problem.code().equals(CatalogProblem.SYNTAX_ERROR)) {
                throw new InvalidCatalogException(List.of(problem.inFile(fileName)));
            }
            throw new InvalidCatalogException(List.of(located(YamlLocator.of(yaml), problem).inFile(fileName)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // reading a string does no I/O
        }
        if (catalog == null) {
            throw new InvalidCatalogException(List.of(new CatalogProblem(CatalogProblem.MISSING_FIELD, "", "the document is empty").inFile(fileName)));
        }
        List<CatalogProblem> problems = new java.util.ArrayList<>(unknown.found);
        problems.addAll(CatalogValidator.validate(catalog));
        if (!problems.isEmpty()) {
            YamlLocator locator = YamlLocator.of(yaml);
            throw new InvalidCatalogException(problems.stream().map(p -> located(locator, p).inFile(fileName)).toList());
        }
        return catalog;
    }

    /** Size, line length and characters, checked on the raw text before any parser sees it. */
    private static void requireReadable(String fileName, String yaml) {
        if (yaml.length() > MAX_CHARS) {
            throw new InvalidCatalogException(List.of(new CatalogProblem(CatalogProblem.TOO_LARGE, "",
                    "the document is " + yaml.length() + " characters long; a catalog may have at most " + MAX_CHARS).inFile(fileName)));
        }
        int line = 1;
        int start = 0;
        for (int i = 0; i <= yaml.length(); i++) {
            if (i == yaml.length() || yaml.charAt(i) == '\n') {
                if (i - start > MAX_LINE) {
                    throw new InvalidCatalogException(List.of(new CatalogProblem(CatalogProblem.TOO_LARGE, "",
                            "line " + line + " is " + (i - start) + " characters long; catalog lines may have at most " + MAX_LINE, null, line, 1).inFile(fileName)));
                }
                line++;
                start = i + 1;
            }
        }
        int bad = StrictText.firstForbidden(yaml);
        if (bad >= 0) {
            int at = bad;
            int lineOf = (int) yaml.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
            throw new InvalidCatalogException(List.of(new CatalogProblem(CatalogProblem.INVALID_VALUE, "",
                    "control character U+" + String.format("%04X", (int) yaml.charAt(at)) + "; a catalog is text", null, lineOf, 1).inFile(fileName)));
        }
    }

    private static CatalogProblem problemOf(JsonProcessingException e) {
        var loc = e.getLocation();
        Integer line = loc == null ? null : loc.getLineNr();
        Integer column = loc == null ? null : loc.getColumnNr();
        if (!(e instanceof JsonMappingException m) || isSyntax(e)) {
            return new CatalogProblem(CatalogProblem.SYNTAX_ERROR, "", "YAML syntax error: " + e.getOriginalMessage(), null, line, column);
        }
        String path = JsonPaths.of(m);
        if (m instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : " (expected one of " + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            return new CatalogProblem(CatalogProblem.UNKNOWN_KEY, path, "unknown key '" + u.getPropertyName() + "'" + known, null, line, column);
        }
        if (m instanceof InvalidTypeIdException t) {
            return new CatalogProblem(CatalogProblem.INVALID_VALUE, path + ".type",
                    "charge type must be recurring, metered or counted, got '" + t.getTypeId() + "'", null, line, column);
        }
        if (m instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            String allowed = Arrays.stream(f.getTargetType().getEnumConstants()).map(c -> c.toString().toLowerCase()).collect(Collectors.joining(", "));
            return new CatalogProblem(CatalogProblem.INVALID_VALUE, path, "'" + f.getValue() + "' is not one of: " + allowed, null, line, column);
        }
        if (m instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException v && v.getCause() instanceof dev.accrue.core.catalog.EmptyEntryException empty) {
            String where = path.isEmpty() ? empty.key() : path + "." + empty.key();
            return new CatalogProblem(CatalogProblem.INVALID_VALUE, where, empty.getMessage(), null, line, column);
        }
        return new CatalogProblem(CatalogProblem.WRONG_TYPE, path, "wrong type: " + m.getOriginalMessage(), null, line, column);
    }

    private static CatalogProblem located(YamlLocator locator, CatalogProblem p) {
        int[] at = locator.locate(p.path());
        return at == null ? p : new CatalogProblem(p.code(), p.path(), p.message(), p.file(), at[0], at[1]);
    }

    private static boolean isSyntax(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonParseException || t.getClass().getName().startsWith("org.yaml.snakeyaml")) {
                return true;
            }
        }
        return false;
    }
}

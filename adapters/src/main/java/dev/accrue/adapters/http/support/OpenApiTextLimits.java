package dev.accrue.adapters.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.accrue.adapters.http.system.SystemRoutes;
import dev.accrue.adapters.json.TextLimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The text limits of every operation, read from the served OpenAPI document: the {@code maxLength} of each
 * string of a request body is the limit the body reader enforces, so the document is the one place that
 * states it and cannot drift from what the server does.
 */
public final class OpenApiTextLimits {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Map<String, TextLimits> SERVED = read(SystemRoutes.openApiYaml());

    private OpenApiTextLimits() {
    }

    /** The limits of the body of {@code method} on the route template {@code path} ({@code /v1/customers/{id}}). */
    public static TextLimits of(String method, String path) {
        return SERVED.getOrDefault(method.toUpperCase(java.util.Locale.ROOT) + " " + path, TextLimits.DEFAULT);
    }

    static Map<String, TextLimits> read(String yaml) {
        return read(yaml, new java.util.ArrayList<>());
    }

    /** The request-body strings of the document (operation and path) that declare no maxLength and no enum. */
    public static java.util.List<String> unbounded(String yaml) {
        java.util.List<String> out = new java.util.ArrayList<>();
        read(yaml, out);
        return out;
    }

    private static Map<String, TextLimits> read(String yaml, java.util.List<String> unbounded) {
        JsonNode doc;
        try {
            doc = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, TextLimits> out = new HashMap<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!METHODS.contains(op.getKey())) {
                return;
            }
            JsonNode body = resolve(doc, op.getValue().path("requestBody"));
            JsonNode schema = body.path("content").path("application/json").path("schema");
            if (!schema.isMissingNode()) {
                String operation = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                out.put(operation, new TextLimits(node(doc, schema, 0, operation + " ", unbounded)));
            }
        }));
        return Map.copyOf(out);
    }

    private static TextLimits.Node node(JsonNode doc, JsonNode schema, int depth, String where, java.util.List<String> unbounded) {
        schema = resolve(doc, schema);
        TextLimits.Node node = new TextLimits.Node();
        if (depth > 32) {
            return node;
        }
        if (schema.has("maxLength")) {
            node.maxLength = schema.get("maxLength").asInt();
        } else if ("string".equals(schema.path("type").asText()) && !schema.has("enum")) {
            unbounded.add(where);
        }
        for (String combinator : new String[]{"allOf", "oneOf", "anyOf"}) {
            for (JsonNode sub : schema.path(combinator)) {
                node.merge(node(doc, sub, depth + 1, where, unbounded));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            node.properties.put(p.getKey(), node(doc, p.getValue(), depth + 1, where + "." + p.getKey(), unbounded));
        }
        if (schema.has("items")) {
            node.items = node(doc, schema.get("items"), depth + 1, where + "[]", unbounded);
        }
        if (schema.path("additionalProperties").isObject()) {
            node.additional = node(doc, schema.get("additionalProperties"), depth + 1, where + ".*", unbounded);
        }
        return node;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        for (int i = 0; i < 10 && node.has("$ref"); i++) {
            node = doc.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }
}

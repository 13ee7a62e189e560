package dev.accrue.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.accrue.adapters.http.system.SystemRoutes;
import dev.accrue.adapters.json.Json;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schema-driven fuzzer: every operation of the served OpenAPI document gets malformed, boundary and hostile
 * values — wrong types, NUL and control characters, huge strings, negative and absurd numbers, invalid UTF-8,
 * unknown and forged ids, forged cursors — in one place at a time (a path parameter, a query parameter or one
 * field of an otherwise plausible body). Whatever comes in: never a 5xx, every error a problem document with a
 * documented code (the test client checks every answer against the document), and a refused request changes
 * nothing (a hash of every row of the tenant, in every table, is the same before and after).
 */
class ApiFuzzTest {
    private static final JsonNode DOC = load();
    private static final List<Operation> OPERATIONS = operations();
    private static final Set<String> CODES = codes();
    private static Sandbox sandbox;
    private static Map<String, String> ids;
    private static int served;

    record Operation(String method, String path, List<String> query, JsonNode body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Where the hostile value goes: the n-th path parameter, query parameter or body field, or the raw body itself. */
    enum Target { PATH, QUERY, FIELD, RAW_BODY }

    record Attack(Operation operation, Target target, int slot, Object value) {
    }

    @BeforeContainer
    static void tenant() {
        sandbox = new Sandbox("fuzz", HostileInputTest.CATALOG, "2026-01-01T10:00:00Z");
        Map<String, Object> prepaid = Fixtures.customer("Fuzz Prepaid");
        prepaid.put("account_type", "prepaid");
        prepaid.put("test_clock_id", sandbox.clockId);
        String customer = sandbox.api.post("/v1/customers", prepaid).text("id");
        String subscription = sandbox.subscribe(Map.of("customer_id", customer, "plan", "pro")).get("id").asText();
        String victimKey = sandbox.api.post("/v1/api_keys", Map.of("name", "fuzz victim")).text("id");
        String invoice = sandbox.api.get("/v1/invoices?customer_id=" + customer).json().at("/data/0/id").asText("inv_01JD0000000000000000000000");
        ids = Map.of("customers", customer, "subscriptions", subscription, "api_keys", victimKey, "invoices", invoice,
                "test_clocks", sandbox.clockId, "receipts", "rct_01JD0000000000000000000000", "authorizations", "aut_01JD0000000000000000000000");
    }

    @AfterContainer
    static void everyOperationWasAttacked() {
        assertThat(served).as("attacks sent").isGreaterThan(100);
    }

    @Property(tries = 600, seed = "11")
    void hostileInputNeverBreaksTheServerAndChangesNothingWhenRefused(@ForAll("attacks") Attack attack) {
        Request request = build(attack);
        String before = snapshot();
        Api.Response r = request.body == null ? sandbox.api.send(request.method, request.path, null)
                : sandbox.api.sendBytes(request.method, request.path, request.body, request.contentType);
        served++;
        String what = attack.operation() + " " + attack.target() + "[" + attack.slot() + "] = " + describe(attack.value()) + " -> " + r;
        assertThat(r.status()).as(what).isLessThan(500);
        if (r.status() >= 400) {
            assertThat(r.header("content-type")).as(what).startsWith("application/problem+json");
            assertThat(CODES).as(what).contains(r.code());
            assertThat(snapshot()).as("a refused request changes nothing: " + what).isEqualTo(before);
        }
    }

    @Provide
    Arbitrary<Attack> attacks() {
        // only the places an operation has: a query attack needs query parameters, a body attack a body
        return Arbitraries.of(OPERATIONS).flatMap(op -> {
            List<Target> targets = new ArrayList<>(List.of(Target.QUERY));
            if (op.path().contains("{")) {
                targets.add(Target.PATH);
            }
            if (op.body() != null) {
                targets.addAll(List.of(Target.FIELD, Target.FIELD, Target.FIELD, Target.RAW_BODY));
            }
            return Combinators.combine(Arbitraries.just(op), Arbitraries.of(targets), Arbitraries.integers().between(0, 20), hostile())
                    .as(Attack::new);
        });
    }

    /** Values no careful client sends. */
    static Arbitrary<Object> hostile() {
        Arbitrary<Object> text = Arbitraries.of("\u0000", "a\u0000b", "\u0007bell", "\u001b[31mred", "\uD800", "y".repeat(70_000));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, text), net.jqwik.api.Tuple.of(3, others()));
    }

    private static Arbitrary<Object> others() {
        return Arbitraries.of(
                "", " ", "\u0000", "a\u0000b", "\u0007bell", "\u001b[31mred", "\u202Eevil", "\uD800", "x".repeat(300), "y".repeat(70_000),
                "../../etc/passwd", "' OR 1=1 --", "%00", "<script>alert(1)</script>", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "cus_00000000000000000000000000",
                "sub_ZZZZZZZZZZZZZZZZZZZZZZZZZZ", "ten_01JD0000000000000000000000", "XXX", "XTS", "9999-12-31", "1900-01-01", "0000-00-00",
                "2026-13-45T99:99:99Z", "1e400", "NaN", "-0", "0x10", "true",
                -1, 0, 1, -9223372036854775807L, Long.MAX_VALUE, new java.math.BigInteger("9223372036854775808"),
                new java.math.BigDecimal("1.5"), new java.math.BigDecimal("-0.001"), new java.math.BigDecimal("1e400"), new java.math.BigDecimal("1e-400"),
                true, false, List.of(), List.of("a", 1), Map.of(), Map.of("a", Map.of("b", List.of())), NULL);
    }

    /** Marks a JSON null (Arbitraries.of takes no nulls). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    record Request(String method, String path, byte[] body, String contentType) {
    }

    private static Request build(Attack a) {
        Operation op = a.operation();
        List<String> pathParams = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\{([a-z_]+)}").matcher(op.path());
        while (m.find()) {
            pathParams.add(m.group(1));
        }
        StringBuilder path = new StringBuilder();
        int index = 0;
        int last = 0;
        m.reset();
        while (m.find()) {
            path.append(op.path(), last, m.start());
            boolean hostile = a.target() == Target.PATH && a.slot() % Math.max(1, pathParams.size()) == index;
            // an empty segment is another URL (no route, answered 404 route_not_found), not a hostile value of this one
            path.append(hostile ? encode(text(a.value()).isEmpty() ? " " : text(a.value())) : encode(realId(op.path(), m.group(1))));
            last = m.end();
            index++;
        }
        path.append(op.path().substring(last));
        if (a.target() == Target.QUERY && !op.query().isEmpty()) {
            String name = op.query().get(a.slot() % op.query().size());
            path.append('?').append(name).append('=').append(encode(text(a.value())));
        } else if (a.target() == Target.QUERY) {
            path.append("?cursor=").append(encode(Base64.getUrlEncoder().encodeToString(("after:" + text(a.value())).getBytes(StandardCharsets.UTF_8))));
        }
        if (op.body() == null) {
            return new Request(op.method(), path.toString(), null, null);
        }
        if (op.body().path("type").asText().equals("yaml")) {
            String yaml = a.target() == Target.FIELD ? Fixtures.CATALOG_V1.replace("name: Basic", "name: " + Json.write(json(a.value())))
                    : Fixtures.CATALOG_V1;
            return new Request(op.method(), path.toString(), bytes(a.target() == Target.RAW_BODY ? rawBody(a.slot(), yaml) : yaml), "application/yaml");
        }
        Object body = sample(op.body(), 0);
        if (a.target() == Target.FIELD) {
            body = mutate(body, a.slot(), json(a.value()));
        }
        byte[] bytes = a.target() == Target.RAW_BODY ? bytes(rawBody(a.slot(), Json.write(body))) : Json.write(body).getBytes(StandardCharsets.UTF_8);
        if (a.target() == Target.RAW_BODY && a.slot() % 4 == 0) {
            bytes = invalidUtf8(bytes);
        }
        return new Request(op.method(), path.toString(), bytes, "application/json");
    }

    /** Broken bodies: truncated, deeply nested, an array, a bare value, or invalid UTF-8 inside a string. */
    private static String rawBody(int slot, String valid) {
        return switch (slot % 5) {
            case 1 -> valid.substring(0, valid.length() / 2);
            case 2 -> "[".repeat(5_000) + "]".repeat(5_000);
            case 3 -> "[" + valid + "]";
            case 4 -> "12";
            default -> valid;
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] invalidUtf8(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        int quote = text.indexOf("\":\"");
        byte[] out = json.clone();
        if (quote > 0 && quote + 4 < out.length) {
            out[quote + 3] = (byte) 0xC3;
            out[quote + 4] = (byte) 0x28;
        } else {
            out = new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'};
        }
        return out;
    }

    private static String realId(String path, String param) {
        if (param.equals("id")) {
            String collection = path.split("/")[2];
            return ids.getOrDefault(collection, "x");
        }
        return switch (param) {
            case "month" -> "2026-01";
            case "version" -> "1";
            case "feature" -> "seats";
            case "quota" -> "seats";
            default -> param + "_01JD0000000000000000000000";
        };
    }

    private static String text(Object v) {
        return v == NULL ? "null" : v instanceof String s ? s : Json.write(v);
    }

    private static Object json(Object v) {
        return v == NULL ? null : v;
    }

    private static String describe(Object v) {
        String s = text(v);
        return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + ")" : s;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A plausible body for {@code schema}: required fields and a few optional ones, with simple values. */
    private static Object sample(JsonNode schema, int depth) {
        schema = resolve(schema);
        if (depth > 6) {
            return null;
        }
        if (schema.has("enum")) {
            return Json.MAPPER.convertValue(schema.get("enum").get(0), Object.class);
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            if (schema.has(combinator)) {
                return sample(schema.get(combinator).get(0), depth + 1);
            }
        }
        switch (schema.path("type").asText("object")) {
            case "string" -> {
                String format = schema.path("format").asText();
                return format.equals("date") ? "2026-02-01" : format.equals("date-time") ? "2026-02-01T00:00:00Z" : "sample";
            }
            case "integer" -> {
                return schema.path("minimum").asLong(1);
            }
            case "number" -> {
                return 1;
            }
            case "boolean" -> {
                return true;
            }
            case "array" -> {
                Object item = sample(schema.path("items"), depth + 1);
                return item == null ? List.of() : List.of(item);
            }
            default -> {
                Map<String, Object> out = new LinkedHashMap<>();
                Set<String> required = new HashSet<>();
                schema.path("required").forEach(n -> required.add(n.asText()));
                int optional = 0;
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    if (required.contains(p.getKey()) || optional++ < 3) {
                        out.put(p.getKey(), sample(p.getValue(), depth + 1));
                    }
                }
                return out;
            }
        }
    }

    /** Replaces the n-th value of the body (depth first) with {@code value}. */
    @SuppressWarnings("unchecked")
    private static Object mutate(Object body, int n, Object value) {
        List<Object[]> slots = new ArrayList<>();
        collect(body, slots);
        if (slots.isEmpty()) {
            return value;
        }
        Object[] slot = slots.get(n % slots.size());
        if (slot[0] instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put((String) slot[1], value);
        } else {
            ((List<Object>) slot[0]).set((Integer) slot[1], value);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<Object[]> slots) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = (Map<String, Object>) map;
            for (String k : List.copyOf(copy.keySet())) {
                slots.add(new Object[]{copy, k});
                collect(copy.get(k), slots);
            }
        } else if (node instanceof List<?> list) {
            List<Object> mutable = new ArrayList<>(list);
            for (int i = 0; i < mutable.size(); i++) {
                slots.add(new Object[]{mutable, i});
                collect(mutable.get(i), slots);
            }
        }
    }

    /** A hash of every row of the sandbox tenant in every table with a tenant_id (the audit trail included). */
    private static String snapshot() {
        String tenant = sandbox.tenant.id();
        return TestNode.get().accrue().database().jdbi().withHandle(h -> {
            List<String> tables = h.createQuery("""
                    SELECT table_name FROM information_schema.columns
                    WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name""").mapTo(String.class).list();
            StringBuilder out = new StringBuilder();
            for (String t : tables) {
                String sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM \"" + t + "\" x WHERE tenant_id = :t";
                out.append(t).append('=').append(h.createQuery(sql).bind("t", tenant).mapTo(String.class).one()).append('\n');
            }
            h.createQuery("SELECT md5(t::text) FROM tenants t WHERE id = :t").bind("t", tenant).mapTo(String.class).findOne()
                    .ifPresent(s -> out.append("tenant=").append(s));
            return out.toString();
        });
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(SystemRoutes.openApiYaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode resolve(JsonNode node) {
        for (int i = 0; i < 10 && node.has("$ref"); i++) {
            node = DOC.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    private static List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        DOC.path("paths").fields().forEachRemaining(path -> {
            if (!path.getKey().startsWith("/v1/")) {
                return;
            }
            path.getValue().fields().forEachRemaining(op -> {
                if (!Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    return;
                }
                List<String> query = new ArrayList<>();
                List<JsonNode> params = new ArrayList<>();
                path.getValue().path("parameters").forEach(params::add);
                op.getValue().path("parameters").forEach(params::add);
                for (JsonNode p : params) {
                    JsonNode param = resolve(p);
                    if (param.path("in").asText().equals("query")) {
                        query.add(param.path("name").asText());
                    }
                }
                JsonNode content = resolve(op.getValue().path("requestBody")).path("content");
                JsonNode body = content.has("application/json") ? content.get("application/json").path("schema")
                        : content.has("application/yaml") ? Json.MAPPER.createObjectNode().put("type", "yaml") : null;
                out.add(new Operation(op.getKey().toUpperCase(), path.getKey(), query, body));
            });
        });
        return out;
    }

    private static Set<String> codes() {
        Set<String> out = new HashSet<>();
        DOC.at("/components/schemas/Problem/properties/code/enum").forEach(n -> out.add(n.asText()));
        return out;
    }
}

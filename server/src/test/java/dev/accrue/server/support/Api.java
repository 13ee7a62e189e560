package dev.accrue.server.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.adapters.http.system.SystemRoutes;
import dev.accrue.adapters.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A test client for the real HTTP API. Every response of a documented operation is checked against the
 * OpenAPI document the server serves, so the document cannot drift from what the server really answers.
 */
public final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final OpenApiInteractionValidator VALIDATOR = loadValidator();
    private final String base;
    private final String key;
    private final Map<String, String> headers;

    private static OpenApiInteractionValidator loadValidator() {
        try {
            return OpenApiInteractionValidator.createForInlineApiSpecification(SystemRoutes.openApiYaml()).build();
        } catch (OpenApiInteractionValidator.ApiLoadException e) {
            throw new IllegalStateException("The OpenAPI document does not load: " + e.getParseMessages(), e);
        }
    }

    public Api(String base, String key) {
        this(base, key, Map.of());
    }

    private Api(String base, String key, Map<String, String> headers) {
        this.base = base;
        this.key = key;
        this.headers = headers;
    }

    /** The bearer secret this client sends (tests check it never leaks). */
    public String key() {
        return key;
    }

    /** The same key (and headers) against another node, e.g. a second node on the same database. */
    public Api at(String otherBase) {
        return new Api(otherBase, key, headers);
    }

    public Api withKey(String otherKey) {
        return new Api(base, otherKey, headers);
    }

    public Api withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Api(base, key, h);
    }

    public Api anonymous() {
        return new Api(base, null, headers);
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /**
     * GETs a file (a PDF, an XML e-invoice, CSV). Its status and content type are checked against the OpenAPI
     * document; the bytes are returned as they came.
     */
    public FileResponse getFile(String path) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (key != null) {
            req.header("Authorization", "Bearer " + key);
        }
        headers.forEach(req::header);
        try {
            HttpResponse<byte[]> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> h = res.headers().map().entrySet().stream().collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> e.getValue().getFirst()));
            String type = h.get("content-type");
            boolean text = type != null && (type.startsWith("application/json") || type.startsWith("application/problem+json") || type.startsWith("text/"));
            // a binary body is checked as the byte string its schema (type: string, format: binary) describes
            validate("GET", path, new Response(res.statusCode(), new String(res.body(),
                    text ? java.nio.charset.StandardCharsets.UTF_8 : java.nio.charset.StandardCharsets.ISO_8859_1), h));
            return new FileResponse(res.statusCode(), res.body(), h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record FileResponse(int status, byte[] body, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + header("content-type") + " " + (body.length < 2000 ? text() : body.length + " bytes");
        }
    }

    /** Sends {@code body} as JSON (a String is sent verbatim, so tests can send malformed JSON). */
    public Response send(String method, String path, Object body) {
        return send(method, path, body == null ? null : body instanceof String s ? s : Json.write(body), "application/json");
    }

    /** POSTs a YAML document, as catalog imports take it. */
    public Response postYaml(String path, String yaml) {
        return send("POST", path, yaml, "application/yaml");
    }

    /** Sends raw bytes (invalid UTF-8, for instance) as the body. */
    public Response sendBytes(String method, String path, byte[] body, String contentType) {
        return send(method, path, HttpRequest.BodyPublishers.ofByteArray(body), contentType);
    }

    private Response send(String method, String path, String text, String contentType) {
        return send(method, path, text == null ? null : HttpRequest.BodyPublishers.ofString(text), contentType);
    }

    private Response send(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (body != null) {
            req.header("Content-Type", contentType);
        }
        if (key != null) {
            req.header("Authorization", "Bearer " + key);
        }
        headers.forEach(req::header);
        try {
            HttpResponse<String> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
            Response response = new Response(res.statusCode(), res.body(),
                    res.headers().map().entrySet().stream().collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> e.getValue().getFirst())));
            validate(method, path, response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void validate(String method, String pathAndQuery, Response response) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        var builder = SimpleResponse.Builder.status(response.status()).withBody(response.body());
        String contentType = response.header("content-type");
        if (contentType != null) {
            builder.withContentType(contentType.split(";")[0]);
        }
        ValidationReport report = VALIDATOR.validateResponse(path, Request.Method.valueOf(method), builder.build());
        // an unknown path, or a documented path with a method it does not have (an empty id segment turns
        // PATCH /v1/customers/{id} into PATCH /v1/customers/): no operation to check against
        boolean undocumented = report.getMessages().stream().anyMatch(m -> m.getKey().equals("validation.request.path.missing")
                || m.getKey().equals("validation.request.operation.notAllowed"));
        if (undocumented && (response.status() == 404 || response.status() == 405)) {
            return; // answered route_not_found / method_not_allowed
        }
        if (report.hasErrors()) {
            throw new AssertionError("Response to " + method + " " + pathAndQuery + " (" + response.status() + ") does not match the OpenAPI document:\n"
                    + report.getMessages().stream().map(Object::toString).collect(Collectors.joining("\n")) + "\nbody: " + response.body());
        }
    }

    public record Response(int status, String body, Map<String, String> headers) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String text(String field) {
            JsonNode node = json().get(field);
            return node == null || node.isNull() ? null : node.asText();
        }

        /** The problem code of an error response. */
        public String code() {
            return text("code");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}

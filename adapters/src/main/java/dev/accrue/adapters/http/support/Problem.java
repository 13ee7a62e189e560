package dev.accrue.adapters.http.support;

import dev.accrue.core.catalog.CatalogProblem;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code code} is the stable snake_case error code clients branch on;
 * {@code field} names the offending input when one is to blame.
 */
public record Problem(String type, String title, int status, String code, String detail, String field, String instance,
                      List<CatalogProblem> errors, @JsonIgnore Map<String, Object> extensions) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String code, String detail, String field, String path) {
        return new Problem("https://accrue.dev/errors/" + code, title, status, code, detail, field, path, null, Map.of());
    }

    /** Errors that come as a list (every problem of a catalog file) carry it in {@code errors}. */
    public Problem withErrors(List<CatalogProblem> list) {
        return new Problem(type, title, status, code, detail, field, instance, list, extensions);
    }

    /** RFC 9457 extension members: an error's structured facts (e.g. {@code allowed_from}) beside {@code code}. */
    public Problem withExtensions(Map<String, Object> facts) {
        return new Problem(type, title, status, code, detail, field, instance, errors, facts);
    }

    /** The id of the request this problem answers ({@code X-Request-Id}), so a caller can quote it to an operator. */
    public Problem withRequestId(String requestId) {
        if (requestId == null) {
            return this;
        }
        Map<String, Object> facts = new java.util.LinkedHashMap<>(extensions);
        facts.put("request_id", requestId);
        return new Problem(type, title, status, code, detail, field, instance, errors, facts);
    }

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions;
    }
}

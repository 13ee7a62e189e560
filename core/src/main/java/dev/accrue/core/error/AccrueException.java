package dev.accrue.core.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error type the domain and use cases raise. {@code code} is a stable snake_case identifier
 * that clients may branch on; {@code field} names the offending input (a JSON pointer-ish path such as
 * {@code billing_address.country}, or null when no single field is to blame). Only the HTTP adapter
 * decides which status code a code maps to.
 */
public class AccrueException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private final Map<String, Object> details;

    public AccrueException(ErrorCode code, String field, String message) {
        this(code, field, message, Map.of());
    }

    /**
     * An error with structured facts a client acts on without parsing {@code message} (the date a lock-in
     * allows a change from, the subscription that already exists): snake_case names, values a date, string or
     * list of strings. The HTTP adapter puts them beside {@code code} in the problem document.
     */
    public AccrueException(ErrorCode code, String field, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.field = field;
        this.details = Map.copyOf(new LinkedHashMap<>(details));
    }

    public AccrueException(ErrorCode code, String message) {
        this(code, null, message);
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static AccrueException invalid(String field, String message) {
        return new AccrueException(ErrorCode.VALIDATION_FAILED, field, message);
    }

    public static AccrueException notFound(String kind, String id) {
        return new AccrueException(ErrorCode.NOT_FOUND, null, "No " + kind + " with id '" + id + "'");
    }
}

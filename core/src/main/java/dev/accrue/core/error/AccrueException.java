package dev.accrue.core.error;

/**
 * The one error type the domain and use cases raise. {@code code} is a stable snake_case identifier
 * that clients may branch on; {@code field} names the offending input (a JSON pointer-ish path such as
 * {@code billing_address.country}, or null when no single field is to blame). Only the HTTP adapter
 * decides which status code a code maps to.
 */
public class AccrueException extends RuntimeException {
    private final ErrorCode code;
    private final String field;

    public AccrueException(ErrorCode code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
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

    public static AccrueException invalid(String field, String message) {
        return new AccrueException(ErrorCode.VALIDATION_FAILED, field, message);
    }

    public static AccrueException notFound(String kind, String id) {
        return new AccrueException(ErrorCode.NOT_FOUND, null, "No " + kind + " with id '" + id + "'");
    }
}

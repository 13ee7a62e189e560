package dev.accrue.adapters.http.support;

/**
 * An RFC 9457 problem document. {@code code} is the stable snake_case error code clients branch on;
 * {@code field} names the offending input when one is to blame.
 */
public record Problem(String type, String title, int status, String code, String detail, String field, String instance) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String code, String detail, String field, String path) {
        return new Problem("https://accrue.dev/errors/" + code, title, status, code, detail, field, path);
    }
}

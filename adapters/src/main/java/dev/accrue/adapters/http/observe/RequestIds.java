package dev.accrue.adapters.http.observe;

import dev.accrue.app.id.Ids;

import java.util.regex.Pattern;

/**
 * The id a request is known by in logs, responses and problem documents. A caller's own {@code X-Request-Id}
 * is kept so a trace can cross systems, but only when it is short and plain: it is echoed in a header and
 * written to every log line, so anything else (control characters, quotes, 10 kB) is replaced, never trusted.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    /** The MDC key: every log line of a request carries it. */
    public static final String MDC_KEY = "request_id";
    public static final int MAX_LENGTH = 128;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private RequestIds() {
    }

    /** The caller's id when it is sane, else a fresh {@code req_…} id. */
    public static String of(String sent) {
        return sent != null && SAFE.matcher(sent).matches() ? sent : Ids.next("req");
    }
}

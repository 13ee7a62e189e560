package dev.accrue.app.webhook;

import java.util.Map;

/**
 * Posts one delivery over HTTP to a checked target, connecting only to the target's checked addresses, with short
 * timeouts and without following redirects. Never called inside a database transaction.
 */
public interface WebhookSender {
    /** The response, whatever its status; throws when no response came (refused, timed out, TLS failure). */
    Response post(WebhookUrls.Target target, Map<String, String> headers, String body) throws Exception;

    /** {@code body} is at most the first few kilobytes of what the receiver answered. */
    record Response(int statusCode, String body) {
        public boolean succeeded() {
            return statusCode >= 200 && statusCode < 300;
        }
    }
}

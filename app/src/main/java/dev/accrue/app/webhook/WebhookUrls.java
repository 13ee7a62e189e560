package dev.accrue.app.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * The port that decides where webhooks may go (server-side request forgery defence). {@link #check} parses an
 * endpoint URL, resolves its host and refuses it unless every address is public; it is asked when an endpoint is
 * created or changed and again before each delivery, which then connects only to the addresses it returned, so a
 * DNS answer that changes between the check and the connection (rebinding) cannot reach an internal address.
 */
public interface WebhookUrls {
    /**
     * The parsed URL and the checked addresses of its host. Refuses with {@code invalid_webhook_url} (not an
     * absolute http(s) URL, or a host that does not resolve) or {@code webhook_url_not_allowed} (an address that
     * is loopback, private, link-local, shared, multicast, unspecified or a cloud metadata service).
     */
    Target check(String url);

    record Target(URI uri, List<InetAddress> addresses) {
        public Target {
            addresses = List.copyOf(addresses);
        }
    }
}

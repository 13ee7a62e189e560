package dev.accrue.adapters.webhook;

import dev.accrue.app.webhook.AddressPolicy;
import dev.accrue.app.webhook.WebhookUrls;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Checks webhook URLs against the system resolver and the {@link AddressPolicy}: an absolute http or https URL
 * without user info, whose host resolves, and every address of which is allowed (one bad address in the answer
 * refuses the URL: the connection could pick it).
 */
public final class DnsWebhookUrls implements WebhookUrls {
    static final int MAX_LENGTH = 2048;
    private final AddressPolicy policy;

    public DnsWebhookUrls(AddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Target check(String url) {
        URI uri = parse(url);
        String host = uri.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(bare));
        } catch (UnknownHostException e) {
            throw new AccrueException(ErrorCode.INVALID_WEBHOOK_URL, "url", "The host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            policy.refusal(a).ifPresent(why -> {
                throw new AccrueException(ErrorCode.WEBHOOK_URL_NOT_ALLOWED, "url",
                        "The host " + host + " resolves to " + a.getHostAddress() + ", " + why + "; webhooks go to public addresses only");
            });
        }
        return new Target(uri, addresses);
    }

    private static URI parse(String url) {
        if (url.length() > MAX_LENGTH) {
            throw new AccrueException(ErrorCode.INVALID_WEBHOOK_URL, "url", "url is at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new AccrueException(ErrorCode.INVALID_WEBHOOK_URL, "url", "url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new AccrueException(ErrorCode.INVALID_WEBHOOK_URL, "url", "url is an absolute http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new AccrueException(ErrorCode.INVALID_WEBHOOK_URL, "url", "url names no host (or one that is not a valid host name)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new AccrueException(ErrorCode.INVALID_WEBHOOK_URL, "url", "url may not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new AccrueException(ErrorCode.INVALID_WEBHOOK_URL, "url", "url may not have a #fragment");
        }
        return uri;
    }
}

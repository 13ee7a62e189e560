package dev.accrue.adapters.webhook;

import dev.accrue.app.webhook.WebhookSender;
import dev.accrue.app.webhook.WebhookSettings;
import dev.accrue.app.webhook.WebhookUrls;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Posts webhooks with Apache HttpClient 5, whose DNS resolver is replaced: the only addresses a connection can
 * use are the ones {@link WebhookUrls} has just checked for this very send (held per sending thread, the classic
 * client connects on the caller's thread). A host name whose DNS answer changes after the check (rebinding) still
 * gets the checked address; TLS still verifies the certificate against the host name. Short timeouts, no
 * redirects (a 3xx is an answer, and a failed attempt), no automatic retries, no cookies, no system proxy.
 * (The JDK HttpClient cannot be told which address to connect to without losing the host name for TLS.)
 */
public final class HttpWebhookSender implements WebhookSender, AutoCloseable {
    static final int MAX_BODY = 4096;
    private static final ThreadLocal<WebhookUrls.Target> CHECKED = new ThreadLocal<>();
    private final CloseableHttpClient client;

    public HttpWebhookSender(WebhookSettings settings) {
        DnsResolver onlyChecked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                WebhookUrls.Target target = CHECKED.get();
                if (target == null || !bare(target.uri().getHost()).equalsIgnoreCase(bare(host))) {
                    throw new UnknownHostException(host + " was not checked for this webhook delivery");
                }
                return target.addresses().toArray(InetAddress[]::new);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(onlyChecked)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                        .build())
                .setMaxConnTotal(200)
                .setMaxConnPerRoute(8)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Accrue-Webhooks/1")
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(settings.responseTimeout()))
                        .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout())).build())
                .build();
    }

    @Override
    public Response post(WebhookUrls.Target target, Map<String, String> headers, String body) throws IOException {
        HttpPost post = new HttpPost(target.uri());
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        CHECKED.set(target);
        try {
            return client.execute(post, response -> new Response(response.getCode(), head(response.getEntity())));
        } finally {
            CHECKED.remove();
        }
    }

    private static String head(HttpEntity entity) {
        if (entity == null) {
            return null;
        }
        try (InputStream in = entity.getContent()) {
            return new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}

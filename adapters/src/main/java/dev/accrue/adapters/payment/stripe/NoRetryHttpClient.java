package dev.accrue.adapters.payment.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * stripe-java's transport on the JDK's {@link HttpClient}, which sends a POST exactly once. stripe-java's default
 * transport is {@code HttpURLConnection}, which silently sends a POST a second time when the connection closes
 * before the answer arrives ({@code sun.net.http.retryPost}, on by default): the caller then sees an approval
 * where the network actually failed, and every resend happens out of Accrue's sight. With this transport one
 * port call is one HTTP request, and a lost answer reaches the caller as {@code Unreachable},
 * which retries with the same idempotency key when it decides to.
 */
final class NoRetryHttpClient extends com.stripe.net.HttpClient {
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient http;
    private final Duration readTimeout;

    NoRetryHttpClient(Duration connectTimeout, Duration readTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = readTimeout;
    }

    @Override
    public StripeResponse request(StripeRequest request) throws ApiConnectionException {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(request.url().toURI()).timeout(readTimeout);
        } catch (URISyntaxException e) {
            throw new ApiConnectionException("Invalid Stripe URL " + request.url(), e);
        }
        Map<String, List<String>> headers = new HashMap<>(request.headers().map());
        headers.put("User-Agent", List.of(buildUserAgentString(request)));
        headers.put("X-Stripe-Client-User-Agent", List.of(buildXStripeClientUserAgentString()));
        headers.forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                builder.header(name, String.join(",", values));
            }
        });
        if (request.content() != null) {
            builder.header("Content-Type", request.content().contentType());
            builder.method(request.method().name(), HttpRequest.BodyPublishers.ofByteArray(request.content().byteArrayContent()));
        } else {
            builder.method(request.method().name(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new StripeResponse(response.statusCode(), HttpHeaders.of(response.headers().map()), response.body());
        } catch (IOException e) {
            throw new ApiConnectionException("No answer from Stripe at " + request.url().getHost() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("Interrupted while waiting for Stripe", e);
        }
    }
}

package dev.accrue.adapters.payment.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * stripe-java's transport, sending each request exactly once ({@link OnceSender}). stripe-java's default
 * transport is {@code HttpURLConnection}, which silently sends a POST a second time when the connection closes
 * before the answer arrives ({@code sun.net.http.retryPost}, on by default): the caller then sees an approval
 * where the network actually failed, and the resend happens out of Accrue's sight. With this transport one
 * port call is one HTTP request, a lost answer reaches the caller as {@code Unreachable}, and the caller
 * decides when to retry with the same idempotency key.
 */
final class NoRetryHttpClient extends HttpClient {
    private final OnceSender sender;

    NoRetryHttpClient(Duration connectTimeout, Duration readTimeout) {
        this.sender = new OnceSender(connectTimeout, readTimeout);
    }

    @Override
    public StripeResponse request(StripeRequest request) throws ApiConnectionException {
        Map<String, List<String>> headers = new HashMap<>(request.headers().map());
        headers.put("User-Agent", List.of(buildUserAgentString(request)));
        headers.put("X-Stripe-Client-User-Agent", List.of(buildXStripeClientUserAgentString()));
        try {
            OnceSender.Answer answer = sender.send(request.method().name(), request.url().toURI(), headers,
                    request.content() == null ? null : request.content().contentType(),
                    request.content() == null ? null : request.content().byteArrayContent());
            return new StripeResponse(answer.status(), HttpHeaders.of(answer.headers()), answer.body());
        } catch (URISyntaxException e) {
            throw new ApiConnectionException("Invalid Stripe URL " + request.url(), e);
        } catch (IOException e) {
            throw new ApiConnectionException("No answer from Stripe at " + request.url().getHost() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("Interrupted while waiting for Stripe", e);
        }
    }
}

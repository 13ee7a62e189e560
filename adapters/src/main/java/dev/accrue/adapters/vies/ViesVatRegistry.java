package dev.accrue.adapters.vies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.app.tax.VatRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The EU's VIES REST service as the {@link VatRegistry}: {@code POST {baseUrl}/check-vat-number} with
 * {@code {"countryCode": "DE", "vatNumber": "123456789"}}; a 200 answer's {@code valid} says whether the number is
 * registered. VIES answers a member state it cannot reach with an error instead ({@code userError} or
 * {@code errorWrappers[].error}: MS_UNAVAILABLE, TIMEOUT, SERVICE_UNAVAILABLE, MS_MAX_CONCURRENT_REQ…), and any
 * other failure (HTTP error, no connection, no answer within {@code timeout}) is the same to the caller: the
 * registry is unavailable, which never blocks saving a customer.
 */
public final class ViesVatRegistry implements VatRegistry {
    /** The production endpoint, documented at https://ec.europa.eu/taxation_customs/vies/#/technical-information. */
    public static final String EU_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI checkUrl;
    private final Duration timeout;
    private final HttpClient http;

    public ViesVatRegistry(String baseUrl, Duration timeout) {
        this.checkUrl = URI.create(baseUrl.endsWith("/") ? baseUrl + "check-vat-number" : baseUrl + "/check-vat-number");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Verdict check(String vatId) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("countryCode", vatId.substring(0, 2), "vatNumber", vatId.substring(2)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(checkUrl).timeout(timeout).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return unavailable("VIES could not be reached: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while asking VIES");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            return unavailable("VIES answered HTTP " + response.statusCode() + " with a body that is not JSON");
        }
        String error = error(answer);
        if (response.statusCode() == 200 && answer.path("valid").isBoolean() && (error == null || "VALID".equals(error) || "INVALID".equals(error))) {
            return new Verdict(answer.get("valid").asBoolean() ? Status.REGISTERED : Status.NOT_REGISTERED, null);
        }
        return unavailable("VIES answered HTTP " + response.statusCode() + (error == null ? "" : " " + error));
    }

    /** The error VIES names, as {@code userError} (200 answers) or the first {@code errorWrappers[].error} (error answers). */
    private static String error(JsonNode answer) {
        if (answer.hasNonNull("userError")) {
            return answer.get("userError").asText();
        }
        JsonNode wrappers = answer.path("errorWrappers");
        return wrappers.isArray() && !wrappers.isEmpty() ? wrappers.get(0).path("error").asText(null) : null;
    }

    private static Verdict unavailable(String detail) {
        return new Verdict(Status.UNAVAILABLE, detail);
    }
}

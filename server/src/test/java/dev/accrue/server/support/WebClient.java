package dev.accrue.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a screen for the web pages' access rules: keeps cookies, does not follow redirects, posts
 * forms. Faster than Chromium for the many refusals the role and tampering tests check.
 */
public final class WebClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;

    public WebClient(String base) {
        this.base = base;
    }

    public record Page(int status, String body, String location) {
        /** The CSRF token the page's forms carry. */
        public String csrf() {
            Matcher m = CSRF.matcher(body);
            if (!m.find()) {
                throw new AssertionError("no CSRF token on the page: " + body);
            }
            return m.group(1);
        }
    }

    /** GETs an absolute URL or a path. */
    public Page get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base + url)).GET().build());
    }

    /** Signs in to the console like a browser: the sign-in page first (its login-CSRF cookie and field), then the form. */
    public Page signInToConsole(String email, String password) {
        String csrf = get("/console/login").csrf();
        return post("/console/login", Map.of("csrf", csrf, "email", email, "password", password));
    }

    public Page post(String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Page send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Page(r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

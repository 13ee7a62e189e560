package dev.accrue.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.app.auth.Caller;
import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Every page served in under 300 ms with realistic data": one customer of the VoiceAgent demo catalog on a
 * sandbox test clock, billed through a year — twelve monthly invoices (paid by card through the sandbox, so with
 * payments and receipts), EVENTS usage events a month over a day-by-day spread, three rented numbers — plus
 * CUSTOMERS other customers for the console's list and search. Then every portal page (as the customer's admin)
 * and every console page (as a staff admin) is requested REQUESTS times by one client over loopback HTTP, after a
 * warm-up, and p50 / p99 / max per page are printed. The whole server work of a page is inside the time: session
 * lookup, the page's transaction, the use cases, the template. "Every" is checked: the benchmark stops, naming the
 * page, if the node registers a page it does not time; the previews a form answers with are timed too.
 */
public final class PortalPagesBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String PASSWORD = "bench password for the console";

    private PortalPagesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int eventsPerMonth = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int otherCustomers = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        AccrueConfig config = AccrueConfig.fromEnvironment(Map.of()).withDataDir(BenchDirs.directory("accrue-bench-")).withPort(0);
        try (Accrue accrue = Accrue.open(config, Clock.systemUTC()).serve("127.0.0.1", 0)) {
            var created = accrue.services().tenants().create("portal bench " + System.nanoTime(), TenantMode.SANDBOX);
            String tenant = created.tenant().id();
            Api api = new Api("http://127.0.0.1:" + accrue.port(), created.adminKey().secret());
            // the demo catalog, in effect from before the customer's year of history
            String catalog = resource("/demo/catalogs/voiceagent.yaml").replaceFirst("(?m)^effective_from: .*$", "effective_from: 2020-01-01");
            accrue.services().catalogs().importCatalog(Caller.operator(tenant), "voiceagent.yaml", catalog);
            long seedStart = System.nanoTime();
            Seeded seeded = seed(api, eventsPerMonth);
            otherCustomers(accrue, tenant, otherCustomers);
            System.out.printf("Seeded in %.1f s: 1 customer with %d invoices, %d payments, %d usage events accepted over 12 months, %d numbers; %d other customers%n",
                    (System.nanoTime() - seedStart) / 1e9, seeded.invoices, seeded.payments, seeded.events, 3, otherCustomers);

            Browser portal = new Browser(api.base);
            portal.get(api.post("/v1/portal_sessions", Map.of("customer_id", seeded.customer, "email", "owner@bench.example", "role", "admin",
                    "return_url", "https://app.bench.example/settings")).get("url").asText());
            String portalCsrf = portal.csrf("/portal");
            String number = api.get("/v1/subscriptions/" + seeded.subscription + "/numbers").get("data").get(0).get("id").asText();
            String creditNote = api.post("/v1/invoices/" + seeded.invoice + "/credit_notes", Map.of("reason", "Goodwill", "amount", "1.00")).get("id")
                    .asText();
            // keyed by the route each request exercises: the coverage check below compares them with the node's own routes
            List<Timed> portalPages = new ArrayList<>();
            portalPages.add(Timed.get("/portal", "portal overview", "/portal"));
            portalPages.add(Timed.get("/portal/usage", "portal usage", "/portal/usage"));
            portalPages.add(Timed.get("/portal/invoices", "portal invoices", "/portal/invoices"));
            portalPages.add(Timed.get("/portal/invoices/{id}", "portal invoice", "/portal/invoices/" + seeded.invoice));
            portalPages.add(Timed.get("/portal/invoices/{id}/pdf", "portal invoice PDF", "/portal/invoices/" + seeded.invoice + "/pdf"));
            portalPages.add(Timed.get("/portal/credit_notes/{id}", "portal credit note", "/portal/credit_notes/" + creditNote));
            portalPages.add(Timed.get("/portal/plans", "portal plans", "/portal/plans"));
            portalPages.add(Timed.post("/portal/subscriptions/{id}/change/preview", "portal change preview",
                    "/portal/subscriptions/" + seeded.subscription + "/change/preview", Map.of("csrf", portalCsrf, "plan", "elite")));
            portalPages.add(Timed.post("/portal/subscriptions/{id}/add_ons/preview", "portal checkout",
                    "/portal/subscriptions/" + seeded.subscription + "/add_ons/preview", Map.of("csrf", portalCsrf, "add_on", "bundle_pro_150")));
            portalPages.add(Timed.get("/portal/wallet", "portal wallet", "/portal/wallet"));
            portalPages.add(Timed.get("/portal/numbers", "portal numbers", "/portal/numbers"));
            portalPages.add(Timed.get("/portal/numbers/{id}/release", "portal release number", "/portal/numbers/" + number + "/release"));
            portalPages.add(Timed.get("/portal/payment_methods", "portal payment methods", "/portal/payment_methods"));
            portalPages.add(Timed.get("/portal/notifications", "portal notifications", "/portal/notifications"));
            portalPages.add(Timed.get("/portal/subscriptions/{id}/cancel", "portal cancel", "/portal/subscriptions/" + seeded.subscription + "/cancel"));
            // receipts are a prepaid customer's (a wallet top-up): one of its own, with its own portal session
            Browser prepaid = new Browser(api.base);
            Receipt receipt = prepaidReceipt(api, seeded.clock);
            prepaid.get(api.post("/v1/portal_sessions", Map.of("customer_id", receipt.customer, "email", "owner@prepaid.example", "role", "admin",
                    "return_url", "https://app.bench.example/settings"))
                    .get("url").asText());
            List<Timed> prepaidPages = List.of(Timed.get("/portal/receipts/{id}/pdf", "portal receipt PDF", "/portal/receipts/" + receipt.id + "/pdf"));

            String staff = "admin@bench.example";
            accrue.services().staff().create(Caller.operator(tenant), staff, "Bench admin", "admin", PASSWORD);
            Browser console = new Browser(api.base);
            String csrf = console.csrf("/console/login");
            int signedIn = console.post("/console/login", Map.of("csrf", csrf, "email", staff, "password", PASSWORD));
            if (signedIn != 302) {
                throw new IllegalStateException("console sign-in answered " + signedIn);
            }
            String consoleCsrf = console.csrf("/console/customers");
            List<Timed> consolePages = new ArrayList<>();
            consolePages.add(Timed.get("/console/customers", "console customers", "/console/customers"));
            consolePages.add(Timed.get("/console/customers", "console search", "/console/customers?q=Bench"));
            consolePages.add(Timed.get("/console/customers/{id}", "console customer", "/console/customers/" + seeded.customer));
            consolePages.add(Timed.post("/console/invoices/{id}/credit_note/preview", "console credit preview",
                    "/console/invoices/" + seeded.invoice + "/credit_note/preview", Map.of("csrf", consoleCsrf, "amount", "1.00", "reason", "Goodwill")));
            consolePages.add(Timed.post("/console/subscriptions/{id}/change/preview", "console change preview",
                    "/console/subscriptions/" + seeded.subscription + "/change/preview", Map.of("csrf", consoleCsrf, "plan", "elite")));
            consolePages.add(Timed.get("/console/billing_runs", "console billing runs", "/console/billing_runs"));
            consolePages.add(Timed.get("/console/catalog", "console catalog", "/console/catalog"));
            consolePages.add(Timed.get("/console/staff", "console staff", "/console/staff"));
            // the sign-in page, without a session (signing in itself is an Argon2id verification on purpose, not timed)
            List<Timed> signedOut = List.of(Timed.get("/console/login", "console sign-in page", "/console/login"));

            requireEveryPage(accrue, List.of(portalPages, prepaidPages, consolePages));
            System.out.printf("Each page: %d sequential requests after 20 warm-up requests, one client, loopback HTTP (ms); load average %.1f%n", requests,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("  %-26s %8s %8s %8s %8s%n", "page", "p50", "p99", "max", "bytes");
            time(portal, portalPages, requests);
            time(prepaid, prepaidPages, requests);
            time(console, consolePages, requests);
            time(new Browser(api.base), signedOut, requests);
            System.out.printf("Load average at the end: %.1f (%d processors)%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** One timed request: a page (GET) or a form whose answer is a page (a preview); {@code route} is the node's route it exercises. */
    private record Timed(String route, String label, String path, Map<String, String> form) {
        static Timed get(String route, String label, String path) {
            return new Timed(route, label, path, null);
        }

        static Timed post(String route, String label, String path, Map<String, String> form) {
            return new Timed(route, label, path, form);
        }
    }

    /**
     * "Every page": each page the portal and the console serve (every GET route registered through their
     * {@code WebArea}) must be in the lists, so a page added later is measured or the benchmark says which is missing.
     * {@code /console} only redirects to the customer list.
     */
    private static void requireEveryPage(Accrue accrue, List<List<Timed>> lists) {
        List<String> timed = lists.stream().flatMap(List::stream).map(Timed::route).toList();
        List<String> missing = accrue.webPages().stream().filter(r -> r.method().equals("GET")).map(r -> r.path())
                .filter(path -> !path.equals("/console") && !timed.contains(path)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("pages the benchmark does not time: " + missing);
        }
    }

    private record Receipt(String customer, String id) {
    }

    private static Receipt prepaidReceipt(Api api, String clock) throws Exception {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("legal_name", "Bench Prepaid Ltd");
        customer.put("billing_emails", List.of("accounts@prepaid.example"));
        customer.put("billing_address", Map.of("line1", "1 Bench St", "city", "Benchville", "postal_code", "10001", "country", "US"));
        customer.put("currency", "USD");
        customer.put("time_zone", "UTC");
        customer.put("account_type", "prepaid");
        customer.put("test_clock_id", clock);
        String id = api.post("/v1/customers", customer).get("id").asText();
        String receipt = api.post("/v1/customers/" + id + "/wallet/top_ups", Map.of("amount", "50.00", "currency", "USD")).get("id").asText();
        return new Receipt(id, receipt);
    }

    private record Seeded(String customer, String subscription, String invoice, int invoices, int payments, int events, String clock) {
    }

    /** The customer's year, through the public API on a test clock: card, plan, numbers, usage and a billing each month. */
    private static Seeded seed(Api api, int eventsPerMonth) throws Exception {
        LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(12);
        Instant start = first.atTime(8, 0).toInstant(ZoneOffset.UTC);
        String clock = api.post("/v1/test_clocks", Map.of("name", "portal bench", "frozen_time", start.toString())).get("id").asText();
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("legal_name", "Bench Voice GmbH");
        customer.put("billing_emails", List.of("accounts@bench.example"));
        customer.put("billing_address", Map.of("line1", "Friedrichstraße 1", "city", "Berlin", "postal_code", "10117", "country", "DE"));
        customer.put("currency", "USD");
        customer.put("time_zone", "Europe/Berlin");
        customer.put("payment_terms", Map.of("collection_method", "auto_pay", "net_days", 0));
        customer.put("account_type", "postpaid");
        customer.put("test_clock_id", clock);
        String customerId = api.post("/v1/customers", customer).get("id").asText();
        String token = api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2035,
                "cvc", "123"))).get("id").asText();
        api.post("/v1/customers/" + customerId + "/payment_methods", Map.of("token", token));
        String sub = api.post("/v1/subscriptions", Map.of("customer_id", customerId, "plan", "pro")).get("id").asText();
        for (int n = 0; n < 3; n++) {
            api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+1415555010" + n, "country", "US", "type", "local"));
        }
        int accepted = 0;
        for (int month = 0; month < 12; month++) {
            Instant monthStart = first.plusMonths(month).atTime(8, 0).toInstant(ZoneOffset.UTC);
            Instant usageEnd = monthStart.plus(27, ChronoUnit.DAYS);
            api.post("/v1/test_clocks/" + clock + "/advance", Map.of("frozen_time", usageEnd.toString()));
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < eventsPerMonth; i++) {
                Instant at = monthStart.plusSeconds((long) i * (27L * 86_400 - 3600) / eventsPerMonth);
                events.add(Map.of("event_id", "call-" + month + "-" + i, "customer_id", customerId, "metric", "call_seconds", "timestamp", at.toString(),
                        "properties", Map.of("duration_seconds", 20 + (i * 37) % 400, "direction", i % 3 == 0 ? "outbound" : "inbound",
                                "ai_employee", "agent-" + (i % 4))));
            }
            accepted += api.post("/v1/events/batch", Map.of("events", events)).path("accepted").asInt();
            Instant next = first.plusMonths(month + 1).atTime(8, 0).toInstant(ZoneOffset.UTC);
            api.post("/v1/test_clocks/" + clock + "/advance", Map.of("frozen_time", next.toString()));
        }
        JsonNode invoices = api.get("/v1/invoices?customer_id=" + customerId + "&limit=100").get("data");
        JsonNode payments = api.get("/v1/payments?customer_id=" + customerId + "&limit=100").get("data");
        return new Seeded(customerId, sub, invoices.get(0).get("id").asText(), invoices.size(), payments == null ? 0 : payments.size(), accepted, clock);
    }

    /** Other customers of the tenant, bulk inserted: the console's list and search run against them. */
    private static void otherCustomers(Accrue accrue, String tenant, int count) {
        accrue.database().jdbi().useTransaction(h -> h.createUpdate("""
                INSERT INTO customers (tenant_id, id, legal_name, billing_emails, billing_address, currency, time_zone, collection_method,
                  net_days, account_type, metadata, created_at, updated_at, version)
                SELECT :t, 'cus_pb' || i, 'Bench customer ' || i, ARRAY['billing' || i || '@bench.example'],
                  '{"line1": "1 Bench St", "city": "Benchville", "country": "US"}', 'USD', 'UTC', 'auto_pay', 0, 'postpaid', '{}', now(), now(), 1
                FROM generate_series(1, :n) i""").bind("t", tenant).bind("n", count).execute());
    }

    private static void time(Browser browser, List<Timed> pages, int requests) throws Exception {
        for (Timed page : pages) {
            int bytes = 0;
            for (int i = 0; i < 20; i++) {
                bytes = browser.page(page);
            }
            long[] nanos = new long[requests];
            for (int i = 0; i < requests; i++) {
                long t0 = System.nanoTime();
                browser.page(page);
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf("  %-26s %8.1f %8.1f %8.1f %8d%n", page.label(), ms(nanos[requests / 2]), ms(nanos[(int) Math.ceil(requests * 0.99) - 1]),
                    ms(nanos[requests - 1]), bytes);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String resource(String name) {
        try (InputStream in = PortalPagesBenchmark.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API with the tenant's admin key; every answer must be a success. */
    private record Api(String base, String key) {
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        JsonNode get(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        JsonNode post(String path, Object body) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        }

        private JsonNode send(HttpRequest.Builder request) throws Exception {
            HttpResponse<String> r = HTTP.send(request.header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        }
    }

    /** A signed-in browser: keeps cookies, follows no redirects; a page must answer 200. */
    private static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        private final String base;

        Browser(String base) {
            this.base = base;
        }

        void get(String url) throws Exception {
            http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding());
        }

        int page(Timed page) throws Exception {
            HttpRequest request = page.form() == null ? HttpRequest.newBuilder(URI.create(base + page.path())).GET().build()
                    : HttpRequest.newBuilder(URI.create(base + page.path())).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encoded(page.form()))).build();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(page.path() + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.body().length;
        }

        String csrf(String path) throws Exception {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = CSRF.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no CSRF token on " + path);
            }
            return m.group(1);
        }

        int post(String path, Map<String, String> form) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encoded(form))).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        private static String encoded(Map<String, String> form) {
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return body.toString();
        }
    }
}

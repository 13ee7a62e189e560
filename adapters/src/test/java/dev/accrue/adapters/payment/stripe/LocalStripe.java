package dev.accrue.adapters.payment.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Stripe's API on 127.0.0.1, answering with the bodies of Stripe's API reference and
 * behaving like Stripe's test mode for its test PaymentMethods (pm_card_visa succeeds,
 * pm_card_visa_chargeDeclinedInsufficientFunds declines for insufficient funds, ...).
 *
 * <p>It keeps Stripe's idempotency layer: the first executed POST under an {@code Idempotency-Key} stores its
 * status and body, whatever they were (a 402 decline and a 500 included); a repeat with the same parameters
 * gets the stored answer with {@code Idempotent-Replayed: true}; a repeat with other parameters gets a 400
 * {@code idempotency_error}. A rate-limited request never executed, so nothing is stored for it.
 *
 * <p>Faults are queued per test: {@link Fault#DROP_AFTER_EXECUTING} executes and stores the request, then
 * closes the connection without answering (the network dropped the response); {@link Fault#RATE_LIMIT} answers
 * 429; {@link Fault#SERVER_ERROR} executes nothing and answers (and stores) a 500.
 *
 * <p>Bank debits behave as in Stripe's test mode: a PaymentIntent on a SEPA Direct Debit method answers
 * {@code processing}, and its outcome comes later as a webhook (which a test signs and posts itself). Public for
 * the server's tests, which run a node against it.
 */
public final class LocalStripe implements AutoCloseable {
    public static final String API_KEY = "sk_test_51LocalStripeTestKey0000000000000000";

    public enum Fault { DROP_AFTER_EXECUTING, RATE_LIMIT, SERVER_ERROR }

    /** One request as the server saw it. */
    public record Seen(String method, String path, String idempotencyKey, Map<String, String> params, boolean replayed, int status,
                String stripeVersion) {
        Seen(String method, String path, String idempotencyKey, Map<String, String> params, boolean replayed, int status) {
            this(method, path, idempotencyKey, params, replayed, status, CURRENT_VERSION.get());
        }
    }

    /** The Stripe-Version header of the request being handled (the JDK server handles one request per thread). */
    private static final ThreadLocal<String> CURRENT_VERSION = new ThreadLocal<>();

    private record Stored(Map<String, String> params, int status, String body) {
    }

    private record Answer(int status, Object body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Stored> idempotency = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Map<String, Object>> paymentIntents = new ConcurrentHashMap<>();
    private final Map<String, Long> refunded = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> setupIntents = new ConcurrentHashMap<>();
    private final Map<String, String> attachedTo = new ConcurrentHashMap<>();
    private final Map<String, String> customers = new ConcurrentHashMap<>();

    public LocalStripe() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized void fail(Fault fault) {
        faults.add(fault);
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<Seen> seenWithKey(String key) {
        return seen.stream().filter(s -> key.equals(s.idempotencyKey())).toList();
    }

    public int paymentIntentsCreated() {
        return paymentIntents.size();
    }

    /** What Stripe.js does when the customer confirms an opened SetupIntent in the Payment Element with {@code paymentMethod}. */
    void confirmInBrowser(String setupIntent, String paymentMethod) {
        Map<String, Object> setup = setupIntents.get(setupIntent);
        setup.put("payment_method", paymentMethod);
        setup.put("payment_method_types", List.of(StripeFixtures.paymentMethod(paymentMethod).get("type")));
        setup.put("mandate", "card".equals(StripeFixtures.paymentMethod(paymentMethod).get("type")) ? null : "mandate_" + paymentMethod);
        setup.put("status", "succeeded");
    }

    /** The PaymentIntents created, as Stripe answered them (metadata included), oldest first. */
    public List<Map<String, Object>> paymentIntents() {
        return paymentIntents.values().stream().sorted(java.util.Comparator.comparing(pi -> (String) pi.get("id"))).toList();
    }

    /**
     * The bank answered a processing debit (days later at Stripe): the PaymentIntent becomes {@code succeeded}, or
     * {@code requires_payment_method} with the bank's failure, as Stripe's test mode settles SEPA debits.
     */
    public void settleDebit(String paymentIntent, boolean succeeded) {
        Map<String, Object> intent = paymentIntents.get(paymentIntent);
        if (succeeded) {
            intent.put("status", "succeeded");
            intent.put("amount_received", intent.get("amount"));
        } else {
            intent.put("status", "requires_payment_method");
            intent.put("last_payment_error", Map.of("type", "card_error", "code", "payment_intent_payment_attempt_failed",
                    "decline_code", "insufficient_funds", "message", "The customer's account has insufficient funds to cover this payment."));
        }
    }

    /** A day passes at Stripe: it forgets every idempotency key (Stripe keeps them 24 hours), so a repeated key is a new request. */
    public void forgetIdempotencyKeys() {
        idempotency.clear();
    }

    /** The Stripe customer created for an Accrue customer (by the metadata Accrue sends). */
    public String customerOf(String accrueCustomerId) {
        return customers.get(accrueCustomerId);
    }

    /**
     * A SetupIntent the customer confirmed in Stripe's form (how SEPA and UPI mandates are accepted), for a
     * seti_ attach; {@code paymentMethod} is pm_sepa_debit or pm_upi.
     */
    public String confirmedSetup(String customer, String paymentMethod) {
        String id = "seti_" + next();
        Map<String, Object> setup = object(id, "setup_intent");
        setup.put("customer", customer);
        setup.put("payment_method", paymentMethod);
        setup.put("payment_method_types", List.of(StripeFixtures.paymentMethod(paymentMethod).get("type")));
        setup.put("mandate", "mandate_" + paymentMethod);
        setup.put("status", "succeeded");
        setup.put("usage", "off_session");
        setup.put("last_setup_error", null);
        setupIntents.put(id, setup);
        return id;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized Fault nextFault() {
        return faults.poll();
    }

    private String next() {
        return "3Loc" + String.format("%020d", ids.incrementAndGet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (exchange.getRequestURI().getRawQuery() != null) {
            params.putAll(form(exchange.getRequestURI().getRawQuery()));
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        CURRENT_VERSION.set(exchange.getRequestHeaders().getFirst("Stripe-Version"));
        if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, new Seen(method, path, key, params, false, 401), 401, JSON.writeValueAsString(error(Map.of(
                    "message", "Invalid API Key provided: sk_test_****0000", "type", "invalid_request_error"))), false);
            return;
        }
        Fault fault = nextFault();
        if (fault == Fault.RATE_LIMIT) {
            respond(exchange, new Seen(method, path, key, params, false, 429), 429, JSON.writeValueAsString(error(Map.of(
                    "code", "rate_limit", "type", "invalid_request_error",
                    "message", "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."))), false);
            return;
        }
        boolean idempotent = "POST".equals(method) && key != null;
        if (idempotent) {
            Stored stored = idempotency.get(key);
            if (stored != null) {
                if (!stored.params().equals(params)) {
                    respond(exchange, new Seen(method, path, key, params, false, 400), 400, JSON.writeValueAsString(error(Map.of(
                            "type", "idempotency_error",
                            "message", "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                                    + "Try using a key other than '" + key + "' if you meant to execute a different request."))), false);
                } else {
                    respond(exchange, new Seen(method, path, key, params, true, stored.status()), stored.status(), stored.body(), true);
                }
                return;
            }
        }
        Answer answer = fault == Fault.SERVER_ERROR
                ? new Answer(500, error(Map.of("type", "api_error", "message", "An unknown error occurred")))
                : execute(method, path, params);
        String body = JSON.writeValueAsString(answer.body());
        if (idempotent) {
            idempotency.put(key, new Stored(params, answer.status(), body));
        }
        if (fault == Fault.DROP_AFTER_EXECUTING) {
            seen.add(new Seen(method, path, key, params, false, -1));
            // the work is done and stored, but the response never reaches the client
            throw new IOException("connection dropped by LocalStripe after executing " + path);
        }
        respond(exchange, new Seen(method, path, key, params, false, answer.status()), answer.status(), body, false);
    }

    private void respond(HttpExchange exchange, Seen request, int status, String body, boolean replayed) throws IOException {
        seen.add(request);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Request-Id", "req_" + next());
        if (replayed) {
            exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Answer execute(String method, String path, Map<String, String> params) {
        String[] parts = path.split("/");
        if ("POST".equals(method) && path.equals("/v1/customers")) {
            Map<String, Object> customer = object("cus_" + next(), "customer");
            customer.put("email", params.get("email"));
            customer.put("name", params.get("name"));
            customer.put("metadata", metadata(params));
            if (params.get("metadata[accrue_customer_id]") != null) {
                customers.put(params.get("metadata[accrue_customer_id]"), (String) customer.get("id"));
            }
            return new Answer(200, customer);
        }
        if (parts.length == 5 && parts[2].equals("payment_methods") && "POST".equals(method)) {
            Map<String, Object> pm = StripeFixtures.paymentMethod(parts[3]);
            if (pm == null) {
                return missing("PaymentMethod", parts[3], "payment_method");
            }
            if (parts[4].equals("attach")) {
                attachedTo.put(parts[3], params.get("customer"));
                pm.put("customer", params.get("customer"));
            } else {
                if (attachedTo.remove(parts[3]) == null) {
                    return new Answer(400, error(Map.of("type", "invalid_request_error", "message",
                            "The payment method you provided is not attached to a customer so detachment is impossible.")));
                }
                pm.put("customer", null);
            }
            return new Answer(200, pm);
        }
        if (parts.length == 4 && parts[2].equals("payment_methods") && "GET".equals(method)) {
            Map<String, Object> pm = StripeFixtures.paymentMethod(parts[3]);
            return pm == null ? missing("PaymentMethod", parts[3], "payment_method") : new Answer(200, pm);
        }
        if (path.equals("/v1/setup_intents") && "POST".equals(method)) {
            return setupIntent(params);
        }
        if (parts.length == 4 && parts[2].equals("setup_intents") && "GET".equals(method)) {
            Map<String, Object> setup = setupIntents.get(parts[3]);
            return setup == null ? missing("setupintent", parts[3], "intent") : new Answer(200, setup);
        }
        if (parts.length == 4 && parts[2].equals("mandates") && "GET".equals(method)) {
            Map<String, Object> mandate = StripeFixtures.mandate(parts[3]);
            return mandate == null ? missing("mandate", parts[3], "mandate") : new Answer(200, mandate);
        }
        if (path.equals("/v1/payment_intents") && "POST".equals(method)) {
            return paymentIntent(params);
        }
        if (parts.length == 4 && parts[2].equals("payment_intents") && "GET".equals(method)) {
            Map<String, Object> intent = paymentIntents.get(parts[3]);
            return intent == null ? missing("payment_intent", parts[3], "intent") : new Answer(200, intent);
        }
        if (path.equals("/v1/payment_intents") && "GET".equals(method)) {
            // the customer's PaymentIntents, newest first, a page of `limit` after `starting_after` (Stripe's list API)
            List<Map<String, Object>> all = paymentIntents().reversed().stream()
                    .filter(pi -> params.get("customer") == null || params.get("customer").equals(pi.get("customer"))).toList();
            int from = 0;
            if (params.get("starting_after") != null) {
                from = all.stream().map(pi -> (String) pi.get("id")).toList().indexOf(params.get("starting_after")) + 1;
            }
            int limit = Integer.parseInt(params.getOrDefault("limit", "10"));
            List<Map<String, Object>> page = all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()));
            Map<String, Object> list = new LinkedHashMap<>();
            list.put("object", "list");
            list.put("url", "/v1/payment_intents");
            list.put("has_more", from + limit < all.size());
            list.put("data", page);
            return new Answer(200, list);
        }
        if (path.equals("/v1/refunds") && "POST".equals(method)) {
            return refund(params);
        }
        return new Answer(404, error(Map.of("type", "invalid_request_error", "message", "Unrecognized request URL (" + method + ": " + path + ")")));
    }

    private Answer setupIntent(Map<String, String> params) {
        String pm = params.get("payment_method");
        Map<String, Object> setup = object("seti_" + next(), "setup_intent");
        if (!"true".equals(params.get("confirm"))) {
            // opened for the browser: Stripe.js confirms it later with the client secret
            setup.put("customer", params.get("customer"));
            setup.put("payment_method", pm);
            setup.put("usage", params.getOrDefault("usage", "off_session"));
            setup.put("automatic_payment_methods", Map.of("enabled", "true".equals(params.get("automatic_payment_methods[enabled]"))));
            // the types asked for (payment_method_types[]), else those the dashboard enables
            setup.put("payment_method_types", params.containsKey("payment_method_types[0]") ? List.of(params.get("payment_method_types[0]"))
                    : List.of("card", "sepa_debit"));
            setup.put("client_secret", setup.get("id") + "_secret_" + next());
            setup.put("mandate", null);
            setup.put("status", "requires_payment_method");
            setup.put("last_setup_error", null);
            setupIntents.put((String) setup.get("id"), setup);
            return new Answer(200, setup);
        }
        setup.put("customer", params.get("customer"));
        setup.put("payment_method", pm);
        setup.put("usage", params.getOrDefault("usage", "off_session"));
        setup.put("payment_method_types", List.of(params.getOrDefault("payment_method_types[0]", "card")));
        setup.put("mandate", null);
        Map<String, Object> decline = StripeFixtures.setupDecline(pm);
        if (decline != null) {
            setup.put("status", "requires_payment_method");
            setup.put("last_setup_error", decline);
            Map<String, Object> error = new LinkedHashMap<>(decline);
            error.put("setup_intent", setup);
            return new Answer(402, Map.of("error", error));
        }
        setup.put("status", "succeeded");
        setup.put("last_setup_error", null);
        setupIntents.put((String) setup.get("id"), setup);
        return new Answer(200, setup);
    }

    private Answer paymentIntent(Map<String, String> params) {
        String pm = params.get("payment_method");
        if (StripeFixtures.paymentMethod(pm) == null) {
            return missing("PaymentMethod", pm, "payment_method");
        }
        String id = "pi_" + next();
        Map<String, Object> intent = object(id, "payment_intent");
        intent.put("amount", Long.parseLong(params.get("amount")));
        intent.put("currency", params.get("currency"));
        intent.put("customer", params.get("customer"));
        intent.put("payment_method", pm);
        intent.put("description", params.get("description"));
        intent.put("confirmation_method", "automatic");
        intent.put("capture_method", "automatic");
        intent.put("metadata", metadata(params));
        if ("sepa_debit".equals(StripeFixtures.paymentMethod(pm).get("type"))) {
            // a bank debit: accepted now, settled days later (payment_intent.succeeded or payment_intent.payment_failed)
            intent.put("status", "processing");
            intent.put("latest_charge", "py_" + next());
            intent.put("last_payment_error", null);
            paymentIntents.put(id, intent);
            return new Answer(200, intent);
        }
        Map<String, Object> decline = StripeFixtures.chargeDecline(pm);
        if (decline != null) {
            String charge = "ch_" + next();
            intent.put("status", "requires_payment_method");
            intent.put("latest_charge", charge);
            intent.put("last_payment_error", decline);
            Map<String, Object> error = new LinkedHashMap<>(decline);
            error.put("charge", charge);
            error.put("payment_intent", intent);
            error.put("request_log_url", "https://dashboard.stripe.com/test/logs/req_" + next());
            return new Answer(402, Map.of("error", error));
        }
        intent.put("status", "succeeded");
        intent.put("amount_received", intent.get("amount"));
        intent.put("latest_charge", "ch_" + next());
        intent.put("last_payment_error", null);
        paymentIntents.put(id, intent);
        return new Answer(200, intent);
    }

    private Answer refund(Map<String, String> params) {
        String intentId = params.get("payment_intent");
        Map<String, Object> intent = intentId == null ? null : paymentIntents.get(intentId);
        if (intent == null) {
            return missing("payment_intent", String.valueOf(intentId), "payment_intent");
        }
        long charged = (Long) intent.get("amount");
        long already = refunded.getOrDefault(intentId, 0L);
        long amount = params.containsKey("amount") ? Long.parseLong(params.get("amount")) : charged - already;
        if (already >= charged) {
            return new Answer(400, error(Map.of("code", "charge_already_refunded", "type", "invalid_request_error",
                    "doc_url", "https://stripe.com/docs/error-codes/charge-already-refunded",
                    "message", "Charge " + intent.get("latest_charge") + " has already been refunded.")));
        }
        if (already + amount > charged) {
            return new Answer(400, error(Map.of("code", "amount_too_large", "param", "amount", "type", "invalid_request_error",
                    "doc_url", "https://stripe.com/docs/error-codes/amount-too-large",
                    "message", "Refund amount (" + amount + ") is greater than unrefunded amount on charge (" + (charged - already) + ")")));
        }
        refunded.merge(intentId, amount, Long::sum);
        Map<String, Object> refund = object("re_" + next(), "refund");
        refund.put("amount", amount);
        refund.put("charge", intent.get("latest_charge"));
        refund.put("currency", intent.get("currency"));
        refund.put("payment_intent", intentId);
        refund.put("reason", params.get("reason"));
        refund.put("metadata", metadata(params));
        refund.put("status", "succeeded");
        return new Answer(200, refund);
    }

    private static Answer missing(String what, String id, String param) {
        return new Answer(404, error(Map.of("code", "resource_missing", "param", param, "type", "invalid_request_error",
                "doc_url", "https://stripe.com/docs/error-codes/resource-missing", "message", "No such " + what + ": '" + id + "'")));
    }

    static Map<String, Object> object(String id, String type) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", id);
        object.put("object", type);
        object.put("created", 1_764_460_800L);
        object.put("livemode", false);
        object.put("metadata", Map.of());
        return object;
    }

    private static Map<String, Object> error(Map<String, Object> fields) {
        return Map.of("error", fields);
    }

    private static Map<String, String> metadata(Map<String, String> params) {
        Map<String, String> metadata = new TreeMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith("metadata[") && k.endsWith("]")) {
                metadata.put(k.substring(9, k.length() - 1), v);
            }
        });
        return metadata;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new TreeMap<>();
        if (body == null || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }
}

package dev.accrue.adapters.http.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonParser;
import dev.accrue.adapters.json.Json;
import dev.accrue.adapters.json.StrictJsonParser;
import dev.accrue.adapters.json.StrictText;
import dev.accrue.adapters.json.TextLimits;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.payment.CardNumbers;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Optional;

/** Reading requests: the caller, strict JSON bodies, and pagination parameters. */
public final class Requests {
    public static final String CALLER = "accrue.caller";
    /** The one route that may receive a card number: the sandbox gateway's tokenization (test cards only). */
    public static final String SANDBOX_TOKENIZATION = "/v1/sandbox/tokens";
    /** The ids lists page by: a type prefix and a ULID (see Ids), or an event id of the tenant's own making. */
    private static final java.util.regex.Pattern CURSOR_ID = java.util.regex.Pattern.compile("^[a-z]{2,6}_[0-9A-HJKMNP-TV-Z]{26}$");
    /** The key of an item of a list held in memory (a day and dimensions, a code): no control character, at most 256. */
    private static final java.util.regex.Pattern CURSOR_KEY = java.util.regex.Pattern.compile("^[^\\p{Cntrl}]{1,256}$");

    private Requests() {
    }

    /**
     * The one operation a browser may call without an API key: the sandbox's tokenization, standing in for a gateway's
     * own browser tokenization (Stripe.js with a publishable key). Its token belongs to no tenant until an
     * authenticated call attaches it.
     */
    public static boolean anonymousAllowed(Context ctx) {
        return HandlerType.POST.equals(ctx.method()) && (SANDBOX_TOKENIZATION.equals(ctx.path()) || ctx.path().startsWith(GATEWAY_EVENTS));
    }

    /** Gateway webhooks: authenticated by the gateway's signature on the body (GatewayEventIntake), not by an API key. */
    public static final String GATEWAY_EVENTS = "/v1/gateway_events/";

    /** The authenticated caller, or empty on an operation {@link #anonymousAllowed} lets through without a key. */
    public static Optional<Caller> optionalCaller(Context ctx) {
        return Optional.ofNullable(ctx.attribute(CALLER));
    }

    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new AccrueException(ErrorCode.UNAUTHENTICATED, "Authentication required");
        }
        return caller;
    }

    /**
     * The body bound straight to {@code type} in one streaming pass (no intermediate tree: large usage batches
     * are parsed once). A body that is not a JSON object fails like {@link #object} says.
     */
    public static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = bytes(ctx);
        int first = 0;
        while (first < bytes.length && Character.isWhitespace(bytes[first])) {
            first++;
        }
        if (first == bytes.length) {
            throw new AccrueException(ErrorCode.MALFORMED_JSON, "Request body is empty; a JSON object is required");
        }
        if (bytes[first] != '{') {
            throw new AccrueException(ErrorCode.MALFORMED_JSON, "Request body must be a JSON object");
        }
        StrictText.requireUtf8(bytes);
        // closed here (readValue leaves a parser it was given open), which returns its buffers to the pool
        try (JsonParser parser = strictParser(ctx, Json.MAPPER.createParser(bytes))) {
            return Json.MAPPER.readValue(parser, type);
        } catch (java.io.IOException e) {
            if (e instanceof JsonProcessingException j) {
                throw rethrow(j);
            }
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Bodies up to this size whose length is declared are read in one exact read (see {@link #bytes}). */
    static final int EXACT_READ_MAX = 64 * 1024;
    private static final String BODY = "accrue.body";

    /**
     * The request's body. A small body of declared length is read into an array of exactly that length: Javalin's own
     * reader ({@code ctx.bodyAsBytes()}) copies every body through a fresh 8 KB buffer and a growing one, most of
     * what a single authorization check allocated. A body Javalin has read already (a route that looked at
     * {@code ctx.body()} first) is taken from Javalin, and so is a large or chunked one (read as it arrives, within
     * {@code maxRequestSize}); the bytes are kept on the request, so the idempotency fingerprint reads the same ones.
     * Routes that read the body through here must not use {@code ctx.body()} after: the stream is consumed.
     */
    public static byte[] bytes(Context ctx) {
        byte[] read = ctx.attribute(BODY);
        if (read != null) {
            return read;
        }
        long length = ctx.req().getContentLengthLong();
        try {
            var in = ctx.req().getInputStream();
            if (length > 0 && length <= EXACT_READ_MAX && !in.isFinished()) {
                read = in.readNBytes((int) length);
                if (read.length < length) {
                    throw new java.io.EOFException("request body ended after " + read.length + " of " + length + " bytes");
                }
            } else {
                read = ctx.bodyAsBytes();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ctx.attribute(BODY, read);
        return read;
    }

    /** The body as a JSON object; anything else (empty, an array, a bare value) is refused. */
    public static ObjectNode object(Context ctx) {
        String text = StrictText.decode(bytes(ctx));
        if (text.isBlank()) {
            throw new AccrueException(ErrorCode.MALFORMED_JSON, "Request body is empty; a JSON object is required");
        }
        JsonNode node;
        try (JsonParser parser = strictParser(ctx, Json.MAPPER.createParser(text))) {
            node = Json.MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            throw rethrow(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new AccrueException(ErrorCode.MALFORMED_JSON, "Request body must be a JSON object");
        }
        return object;
    }

    /**
     * A parser over this request's body that refuses control characters and strings longer than the OpenAPI
     * document allows for this operation (see {@link OpenApiTextLimits}).
     */
    public static JsonParser strictParser(Context ctx, JsonParser parser) {
        String path = ctx.endpoints().matchedHttpEndpoint().path;
        return new StrictJsonParser(parser, OpenApiTextLimits.of(ctx.method().name(), path), !SANDBOX_TOKENIZATION.equals(path));
    }

    /** Query parameters and the path reach queries and logs: the same text rule as bodies. */
    public static void requireCleanQuery(Context ctx) {
        StrictText.require("path", ctx.path());
        String query = ctx.req().getQueryString();
        if (query == null || query.isEmpty()) { // nothing to parse: Javalin would build an empty map per request
            return;
        }
        ctx.queryParamMap().forEach((name, values) -> {
            StrictText.require(name, name);
            values.forEach(v -> StrictText.require(name, v));
            if (CardNumbers.containsCardNumber(name) || values.stream().anyMatch(CardNumbers::containsCardNumber)) {
                String field = CardNumbers.containsCardNumber(name) ? null : name;
                throw new AccrueException(ErrorCode.RAW_CARD_NUMBER_REFUSED, field, "A query parameter holds a payment card number; Accrue never accepts card numbers");
            }
            values.forEach(v -> {
                if (v.length() > TextLimits.DEFAULT_MAX) {
                    throw AccrueException.invalid(name, name + " is " + v.length() + " characters long; at most " + TextLimits.DEFAULT_MAX + " are allowed");
                }
            });
        });
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw rethrow(e);
        }
    }

    public static PageRequest page(Context ctx) {
        String limitText = ctx.queryParam("limit");
        int limit = PageRequest.DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw new AccrueException(ErrorCode.WRONG_TYPE, "limit", "limit must be an integer, got '" + limitText + "'");
            }
        }
        return new PageRequest(limit, decodeCursor(ctx.queryParam("cursor")));
    }

    /** An optional ISO date query parameter ({@code 2026-07-01}); malformed ones are refused with the parameter's name. */
    public static LocalDate date(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw AccrueException.invalid(name, name + " must be a date such as 2026-07-01, got '" + text + "'");
        }
    }

    /** An optional boolean query parameter: {@code true} or {@code false} (absent is false); anything else is refused. */
    public static boolean flag(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw AccrueException.invalid(name, name + " must be true or false, got '" + text + "'");
    }

    /** An optional ISO instant query parameter ({@code 2026-07-01T00:00:00Z}); malformed ones are refused with the parameter's name. */
    public static Instant instant(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw AccrueException.invalid(name, name + " must be an instant such as 2026-07-01T00:00:00Z, got '" + text + "'");
        }
    }

    public static String encodeCursor(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor after an item of a list held in memory, named by its key (a key that names no item is refused when paging). */
    public static String encodeKeyCursor(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("at:" + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            // the API only ever issues "after:<id>"; anything else (a forged id, NUL, a long string) is not one of ours
            if (text.startsWith("after:") && CURSOR_ID.matcher(text.substring(6)).matches()) {
                return text.substring(6);
            }
            if (text.startsWith("at:") && CURSOR_KEY.matcher(text.substring(3)).matches()) {
                return text.substring(3);
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the error below
        }
        throw new AccrueException(ErrorCode.INVALID_CURSOR, "cursor", "cursor is not one this API returned");
    }

    private static RuntimeException rethrow(JsonProcessingException e) {
        AccrueException translated = ErrorMapper.translate(e);
        translated.initCause(e);
        return translated;
    }
}

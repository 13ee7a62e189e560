package dev.accrue.adapters.http.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.accrue.adapters.json.Json;
import dev.accrue.adapters.json.JsonPaths;
import dev.accrue.adapters.json.StrictJsonParser;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import dev.accrue.adapters.http.observe.RequestIds;

/** The only place that turns errors into HTTP statuses and problem+json bodies. */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    public static int status(ErrorCode code) {
        return switch (code.kind()) {
            case BAD_REQUEST -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case METHOD_NOT_ALLOWED -> 405;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case PAYLOAD_TOO_LARGE -> 413;
            case URI_TOO_LONG -> 414;
            case HEADERS_TOO_LARGE -> 431;
            case TOO_MANY_REQUESTS -> 429;
            case INTERNAL -> 500;
            case UNAVAILABLE -> 503;
        };
    }

    public static void handle(Exception e, Context ctx) {
        AccrueException error = translate(e);
        if (error.code() == ErrorCode.INTERNAL_ERROR) {
            LOG.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
        } else if (error.code() == ErrorCode.DATABASE_UNAVAILABLE) {
            LOG.warn("Database unavailable on {} {}: {}", ctx.method(), ctx.path(), e.toString());
        }
        write(ctx, error);
    }

    public static void write(Context ctx, AccrueException error) {
        int status = status(error.code());
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        if (error instanceof RetryLater later) {
            ctx.header("Retry-After", Long.toString(later.retryAfterSeconds()));
        } else if (status == 503) {
            ctx.header("Retry-After", Long.toString(DatabaseOutage.RETRY_AFTER.toSeconds()));
        }
        ctx.status(status).contentType(Problem.CONTENT_TYPE).result(body(error, ctx.path()));
    }

    /** The problem document of {@code error} for a request to {@code path}, as bytes. */
    public static byte[] body(AccrueException error, String path) {
        int status = status(error.code());
        Problem problem = Problem.of(status, title(status), error.code().wire(), error.getMessage(), error.field(), path);
        if (error instanceof InvalidCatalogException invalid) {
            problem = problem.withErrors(invalid.problems());
        }
        if (!error.details().isEmpty()) {
            problem = problem.withExtensions(error.details());
        }
        // the request's id is in the MDC of the thread answering it (RequestContext), also for Jetty's own errors
        problem = problem.withRequestId(MDC.get(RequestIds.MDC_KEY));
        return Json.write(problem).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthenticated";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload too large";
            case 414 -> "URI too long";
            case 415 -> "Unsupported media type";
            case 429 -> "Too many requests";
            case 431 -> "Request headers too large";
            case 503 -> "Service unavailable";
            default -> "Internal error";
        };
    }

    /** The error of a request the HTTP server refused before any route ran (Jetty's status and reason). */
    public static AccrueException ofServerStatus(int status, String reason) {
        String detail = reason == null || reason.isBlank() ? "The request could not be read" : reason;
        return switch (status) {
            case 413 -> new AccrueException(ErrorCode.PAYLOAD_TOO_LARGE, detail);
            case 414 -> new AccrueException(ErrorCode.URI_TOO_LONG, "The request URI is too long (" + detail + ")");
            case 431 -> new AccrueException(ErrorCode.HEADERS_TOO_LARGE, "The request headers are too large (" + detail + ")");
            case 404 -> new AccrueException(ErrorCode.ROUTE_NOT_FOUND, "No such endpoint; see /openapi.json for the API");
            case 405 -> new AccrueException(ErrorCode.METHOD_NOT_ALLOWED, detail);
            case 415 -> new AccrueException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, detail);
            default -> status >= 400 && status < 500 ? new AccrueException(ErrorCode.MALFORMED_REQUEST, "The request could not be read: " + detail)
                    : new AccrueException(ErrorCode.INTERNAL_ERROR, "Internal error; the server log has the details");
        };
    }

    static AccrueException translate(Exception e) {
        if (e instanceof AccrueException a) {
            return a;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StrictJsonParser.Refused r) {
                ErrorCode code = switch (r.reason()) {
                    case CHARACTER -> ErrorCode.INVALID_TEXT;
                    case TOO_LONG -> ErrorCode.VALIDATION_FAILED;
                    case CARD_NUMBER -> ErrorCode.RAW_CARD_NUMBER_REFUSED;
                };
                return new AccrueException(code, r.field(), r.getOriginalMessage());
            }
        }
        InputCoercionException range = e instanceof InputCoercionException i ? i
                : e instanceof JsonMappingException m && m.getCause() instanceof InputCoercionException i ? i : null;
        if (range != null) {
            // the parser stands on the number, so its context names the field (map keys included)
            String field = range.getProcessor() instanceof JsonParser p ? StrictJsonParser.path(p.getParsingContext()) : null;
            return new AccrueException(ErrorCode.VALIDATION_FAILED, field, "Field '" + field + "' is a number out of range");
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String field = JsonPaths.of(u);
            return new AccrueException(ErrorCode.UNKNOWN_FIELD, field, "Unknown field '" + field + "'");
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = JsonPaths.of(m);
            String expected = m.getTargetType() == null ? "another type" : describe(m.getTargetType());
            return new AccrueException(ErrorCode.WRONG_TYPE, field, "Field '" + field + "' must be " + expected);
        }
        if (e instanceof JsonProcessingException j) {
            var loc = j.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            return new AccrueException(ErrorCode.MALFORMED_JSON, "Request body is not valid JSON" + where + ": " + j.getOriginalMessage());
        }
        if (DatabaseOutage.causes(e)) {
            return new AccrueException(ErrorCode.DATABASE_UNAVAILABLE, "The database cannot be reached right now; retry in a few seconds");
        }
        if (e instanceof HttpResponseException h) {
            return ofServerStatus(h.getStatus(), h.getMessage());
        }
        return new AccrueException(ErrorCode.INTERNAL_ERROR, "Internal error; the server log has the details");
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }
}

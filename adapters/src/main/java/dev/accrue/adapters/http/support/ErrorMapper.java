package dev.accrue.adapters.http.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.accrue.adapters.json.Json;
import dev.accrue.adapters.json.JsonPaths;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        String title = switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthenticated";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            case 503 -> "Service unavailable";
            default -> "Internal error";
        };
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        if (status == 503) {
            ctx.header("Retry-After", Long.toString(DatabaseOutage.RETRY_AFTER.toSeconds()));
        }
        Problem problem = Problem.of(status, title, error.code().wire(), error.getMessage(), error.field(), ctx.path());
        if (error instanceof InvalidCatalogException invalid) {
            problem = problem.withErrors(invalid.problems());
        }
        if (!error.details().isEmpty()) {
            problem = problem.withExtensions(error.details());
        }
        ctx.status(status).contentType(Problem.CONTENT_TYPE).result(Json.write(problem).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static AccrueException translate(Exception e) {
        if (e instanceof AccrueException a) {
            return a;
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
            return switch (h.getStatus()) {
                case 404 -> new AccrueException(ErrorCode.ROUTE_NOT_FOUND, "No such endpoint; see /openapi.json for the API");
                case 405 -> new AccrueException(ErrorCode.METHOD_NOT_ALLOWED, h.getMessage());
                case 413 -> new AccrueException(ErrorCode.PAYLOAD_TOO_LARGE, h.getMessage());
                default -> new AccrueException(ErrorCode.INTERNAL_ERROR, h.getMessage());
            };
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

package dev.accrue.adapters.http.support;

import dev.accrue.adapters.json.Json;
import dev.accrue.app.page.Page;
import io.javalin.http.Context;

import java.util.List;
import java.util.function.Function;

/** Writing responses: JSON objects and the list envelope used by every list endpoint. */
public final class Responses {
    private Responses() {
    }

    public record ListEnvelope<T>(String object, List<T> data, boolean hasMore, String nextCursor) {
    }

    /** Bodies below this are written straight to the connection: too small to compress, and it spares a copy buffer per request. */
    private static final int DIRECT_BELOW = 1_500;

    public static void json(Context ctx, int status, Object body) {
        byte[] bytes = Json.writeBytes(body);
        ctx.status(status).contentType("application/json");
        if (bytes.length >= DIRECT_BELOW) {
            ctx.result(bytes);
            return;
        }
        try {
            ctx.res().setContentLength(bytes.length);
            ctx.res().getOutputStream().write(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A list held whole in memory, paged like every other list ({@link Page#slice}): {@code key} identifies an
     * item for the cursor, {@code view} is what goes on the wire.
     */
    public static <T, V> void listAll(Context ctx, List<T> all, Function<T, String> key, Function<T, V> view) {
        Page<T> page = Page.slice(all, Requests.page(ctx), key);
        String next = page.hasMore() ? Requests.encodeKeyCursor(key.apply(page.items().getLast())) : null;
        json(ctx, 200, new ListEnvelope<>("list", page.items().stream().map(view).toList(), page.hasMore(), next));
    }

    public static <T> void list(Context ctx, Page<T> page, Function<T, String> idOf) {
        String next = page.hasMore() && !page.items().isEmpty() ? Requests.encodeCursor(idOf.apply(page.items().getLast())) : null;
        json(ctx, 200, new ListEnvelope<>("list", page.items(), page.hasMore(), next));
    }
}

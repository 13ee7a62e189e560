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

    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static <T> void list(Context ctx, Page<T> page, Function<T, String> idOf) {
        String next = page.hasMore() && !page.items().isEmpty() ? Requests.encodeCursor(idOf.apply(page.items().getLast())) : null;
        json(ctx, 200, new ListEnvelope<>("list", page.items(), page.hasMore(), next));
    }
}

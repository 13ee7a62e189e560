package dev.accrue.adapters.http.support;

import dev.accrue.adapters.json.Json;
import dev.accrue.adapters.json.StrictText;
import dev.accrue.app.idempotency.IdempotencyService;
import dev.accrue.app.idempotency.StoredResponse;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Wraps creating endpoints: with an {@code Idempotency-Key} header the work runs once and later requests with
 * the same key and body replay the stored response (marked {@code Idempotent-Replayed: true}).
 */
public final class Idempotency {
    public static final String HEADER = "Idempotency-Key";
    private final IdempotencyService service;

    public Idempotency(IdempotencyService service) {
        this.service = service;
    }

    /** Runs {@code work}, which returns the created resource, and answers with {@code status} and its JSON. */
    public void create(Context ctx, int status, Supplier<Object> work) {
        createShownOnce(ctx, status, work, created -> created);
    }

    /**
     * Like {@link #create}, for resources whose creation response carries something shown once and stored
     * nowhere (an API key's secret): the stored copy, and so every replay, is {@code storable} of the resource.
     */
    public <T> void createShownOnce(Context ctx, int status, Supplier<T> work, Function<T, Object> storable) {
        createShownOnce(ctx, status, work, storable, created -> created);
    }

    /** Like the above, answering the first time with {@code shown} of the resource (what only that answer carries). */
    public <T> void createShownOnce(Context ctx, int status, Supplier<T> work, Function<T, Object> storable, Function<T, Object> shown) {
        String key = ctx.header(HEADER);
        if (key == null) {
            Responses.json(ctx, status, shown.apply(work.get()));
            return;
        }
        StrictText.require(HEADER, key);
        String caller = Requests.caller(ctx).tenantId();
        List<T> created = new ArrayList<>(1);
        StoredResponse response = service.execute(caller, key, fingerprint(ctx), () -> {
            T resource = work.get();
            created.add(resource);
            return new StoredResponse(status, Json.write(storable.apply(resource)));
        });
        if (!created.isEmpty()) {
            Responses.json(ctx, status, shown.apply(created.getFirst()));
            return;
        }
        ctx.header("Idempotent-Replayed", "true");
        ctx.status(response.status()).contentType("application/json").result(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String fingerprint(Context ctx) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ctx.method() + " " + ctx.path() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(Requests.bytes(ctx)); // the bytes the route read (Requests.body), not the consumed stream
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

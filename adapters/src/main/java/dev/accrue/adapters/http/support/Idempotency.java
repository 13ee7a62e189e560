package dev.accrue.adapters.http.support;

import dev.accrue.adapters.json.Json;
import dev.accrue.app.idempotency.IdempotencyService;
import dev.accrue.app.idempotency.StoredResponse;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
        String key = ctx.header(HEADER);
        if (key == null) {
            Responses.json(ctx, status, work.get());
            return;
        }
        String caller = Requests.caller(ctx).tenantId();
        boolean[] ran = {false};
        StoredResponse response = service.execute(caller, key, fingerprint(ctx), () -> {
            ran[0] = true;
            return new StoredResponse(status, Json.write(work.get()));
        });
        if (!ran[0]) {
            ctx.header("Idempotent-Replayed", "true");
        }
        ctx.status(response.status()).contentType("application/json").result(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String fingerprint(Context ctx) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((ctx.method() + " " + ctx.path() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(ctx.bodyAsBytes());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

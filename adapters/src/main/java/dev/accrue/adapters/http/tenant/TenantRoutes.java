package dev.accrue.adapters.http.tenant;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.auth.Role;
import dev.accrue.app.tenant.ApiKey;
import dev.accrue.app.tenant.ApiKeyService;
import dev.accrue.app.tenant.IssuedApiKey;
import dev.accrue.app.tenant.TenantService;
import dev.accrue.core.error.AccrueException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Instant;

/** /v1/tenant (who am I) and /v1/api_keys (the tenant's own credentials). */
public final class TenantRoutes {
    private final TenantService tenants;
    private final ApiKeyService keys;
    private final Idempotency idempotency;

    public TenantRoutes(TenantService tenants, ApiKeyService keys, Idempotency idempotency) {
        this.tenants = tenants;
        this.keys = keys;
        this.idempotency = idempotency;
    }

    record CreateKey(String name, String role) {
    }

    record SettingsBody(Integer invoiceGraceHours, String roundingMode, Integer eventLatenessDays, java.math.BigDecimal maxEventQuantity,
                        java.math.BigDecimal taxRate, WindowBody startWindow, Integer apiRequestsPerSecond) {
    }

    record WindowBody(Integer daysBack, Integer daysAhead) {
    }

    /** The creation response is the only place the secret ever appears. */
    record IssuedKeyView(String id, String name, Role role, String displayPrefix, Instant createdAt, Instant revokedAt, String secret) {
        static IssuedKeyView of(IssuedApiKey issued) {
            ApiKey k = issued.key();
            return new IssuedKeyView(k.id(), k.name(), k.role(), k.displayPrefix(), k.createdAt(), k.revokedAt(), issued.secret());
        }

        IssuedKeyView withoutSecret() {
            return new IssuedKeyView(id, name, role, displayPrefix, createdAt, revokedAt, null);
        }
    }

    record KeyView(String id, String name, Role role, String displayPrefix, Instant createdAt, Instant revokedAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id(), k.name(), k.role(), k.displayPrefix(), k.createdAt(), k.revokedAt());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/tenant", ctx -> Responses.json(ctx, 200, tenants.get(Requests.caller(ctx).tenantId())));
        app.patch("/v1/tenant", ctx -> {
            var raw = Requests.object(ctx);
            SettingsBody body = Requests.convert(raw, SettingsBody.class);
            // api_requests_per_second: null returns the tenant to the node's default
            boolean clearRate = raw.has("api_requests_per_second") && raw.get("api_requests_per_second").isNull();
            Responses.json(ctx, 200, tenants.updateSettings(Requests.caller(ctx), new TenantService.SettingsChange(body.invoiceGraceHours(),
                    body.roundingMode(), body.eventLatenessDays(), body.maxEventQuantity(), body.taxRate(),
                    body.startWindow() == null ? null : body.startWindow().daysBack(), body.startWindow() == null ? null : body.startWindow().daysAhead(),
                    body.apiRequestsPerSecond(), clearRate)));
        });
        app.post("/v1/api_keys", this::createKey);
        app.get("/v1/api_keys", ctx -> Responses.list(ctx, keys.list(Requests.caller(ctx), Requests.page(ctx)).map(KeyView::of), KeyView::id));
        app.get("/v1/api_keys/{id}", ctx -> Responses.json(ctx, 200, KeyView.of(keys.get(Requests.caller(ctx), ctx.pathParam("id")))));
        app.post("/v1/api_keys/{id}/revoke", ctx -> Responses.json(ctx, 200, KeyView.of(keys.revoke(Requests.caller(ctx), ctx.pathParam("id")))));
    }

    private void createKey(Context ctx) {
        CreateKey body = Requests.body(ctx, CreateKey.class);
        Role role = body.role() == null ? Role.ADMIN : Role.fromWire(body.role());
        if (role == null) {
            throw AccrueException.invalid("role", "role must be 'admin' or 'read_only', got '" + body.role() + "'");
        }
        // the secret is shown once: a replay answers the same key without it (secret null), since it is stored nowhere
        idempotency.createShownOnce(ctx, 201, () -> IssuedKeyView.of(keys.create(Requests.caller(ctx), body.name(), role)),
                IssuedKeyView::withoutSecret);
    }
}

package dev.accrue.adapters.http.invoice;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.app.billing.DraftRegeneration;
import io.javalin.config.RoutesConfig;

/**
 * /v1/invoices/{id}/regenerate: a draft's lines recomputed from the subscription as it stands, same id. Under an
 * Idempotency-Key a retried request answers the first result and regenerates nothing more.
 */
public final class DraftRegenerationRoutes {
    private final DraftRegeneration regeneration;
    private final Idempotency idempotency;

    public DraftRegenerationRoutes(DraftRegeneration regeneration, Idempotency idempotency) {
        this.regeneration = regeneration;
        this.idempotency = idempotency;
    }

    public void register(RoutesConfig app) {
        app.post("/v1/invoices/{id}/regenerate", ctx -> idempotency.create(ctx, 200,
                () -> InvoiceView.of(regeneration.regenerate(Requests.caller(ctx), ctx.pathParam("id")))));
    }
}

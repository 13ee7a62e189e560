package dev.accrue.adapters.http.metering;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.quota.QuotaService;
import dev.accrue.app.quota.QuotaUsage;
import io.javalin.config.RoutesConfig;

import java.util.Map;

/** /v1/subscriptions/{id}/quotas: "3 of 5 used", may one more be created, activate and deactivate items. */
public final class QuotaRoutes {
    private final QuotaService quotas;

    public QuotaRoutes(QuotaService quotas) {
        this.quotas = quotas;
    }

    record ItemBody(String itemId) {
    }

    record QuotaView(String quota, long used, Long limit, String display, boolean canAddOne, String upgradePlan) {
        static QuotaView of(QuotaUsage q) {
            return new QuotaView(q.quota(), q.used(), q.limit(), q.display(), q.limit() == null || q.used() < q.limit(), q.upgradePlan());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/subscriptions/{id}/quotas", ctx -> Responses.listAll(ctx, quotas.usage(Requests.caller(ctx), ctx.pathParam("id")),
                q -> q.quota(), QuotaView::of));
        app.get("/v1/subscriptions/{id}/quotas/{quota}", ctx -> Responses.json(ctx, 200,
                QuotaView.of(quotas.check(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("quota")))));
        app.post("/v1/subscriptions/{id}/quotas/{quota}/items", ctx -> {
            ItemBody b = Requests.body(ctx, ItemBody.class);
            Responses.json(ctx, 200, QuotaView.of(quotas.activate(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("quota"), b.itemId())));
        });
        app.delete("/v1/subscriptions/{id}/quotas/{quota}/items/{item}", ctx -> Responses.json(ctx, 200,
                QuotaView.of(quotas.deactivate(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("quota"), ctx.pathParam("item")))));
    }
}

package dev.accrue.adapters.http.invoice;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.billing.DraftInvoices;
import io.javalin.config.RoutesConfig;

/** /v1/invoices/{id}/finalize: a draft numbered and finalized now, before the tenant's grace hours are over. */
public final class DraftInvoiceRoutes {
    private final DraftInvoices drafts;

    public DraftInvoiceRoutes(DraftInvoices drafts) {
        this.drafts = drafts;
    }

    public void register(RoutesConfig app) {
        app.post("/v1/invoices/{id}/finalize", ctx -> Responses.json(ctx, 200,
                InvoiceView.of(drafts.finalizeNow(Requests.caller(ctx), ctx.pathParam("id")))));
    }
}

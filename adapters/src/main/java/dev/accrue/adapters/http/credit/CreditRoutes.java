package dev.accrue.adapters.http.credit;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.credit.CreditEntry;
import dev.accrue.app.credit.CustomerCredits;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** /v1/customers/{id}/credit: the customer credit balance (refunds, credit notes, grants waiting to be consumed by invoices), its ledger, promotional grants. */
public final class CreditRoutes {
    private final CustomerCredits credits;

    private final Idempotency idempotency;

    public CreditRoutes(CustomerCredits credits, Idempotency idempotency) {
        this.credits = credits;
        this.idempotency = idempotency;
    }

    record GrantBody(BigDecimal amount, String currency, String description) {
    }

    record EntryView(String id, String kind, String amount, String currency, String sourceId, String description, Instant createdAt) {
        static EntryView of(CreditEntry e) {
            return new EntryView(e.id(), e.kind(), e.amount().toPlainMinorString(), e.amount().currency().getCurrencyCode(), e.sourceId(),
                    e.description(), e.createdAt());
        }
    }

    record CreditView(String object, String customerId, String balance, String currency, List<EntryView> entries) {
    }

    public void register(RoutesConfig app) {
        app.get("/v1/customers/{id}/credit", ctx -> Responses.json(ctx, 200, view(credits.balance(Requests.caller(ctx), ctx.pathParam("id")))));
        app.post("/v1/customers/{id}/credit_grants", ctx -> {
            GrantBody b = Requests.body(ctx, GrantBody.class);
            idempotency.create(ctx, 201, () -> view(credits.grantPromotional(Requests.caller(ctx), ctx.pathParam("id"), b.amount(), b.currency(),
                    b.description())));
        });
    }

    private static CreditView view(CustomerCredits.Balance b) {
        return new CreditView("customer_credit", b.customerId(), b.balance().toPlainMinorString(), b.balance().currency().getCurrencyCode(),
                b.entries().stream().map(EntryView::of).toList());
    }
}

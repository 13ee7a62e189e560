package dev.accrue.adapters.http.credit;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.credit.CreditEntry;
import dev.accrue.app.credit.CustomerCredits;
import io.javalin.Javalin;

import java.time.Instant;
import java.util.List;

/** /v1/customers/{id}/credit: the customer credit balance (refunds waiting to be consumed by invoices) and its ledger. */
public final class CreditRoutes {
    private final CustomerCredits credits;

    public CreditRoutes(CustomerCredits credits) {
        this.credits = credits;
    }

    record EntryView(String id, String kind, String amount, String currency, String sourceId, String description, Instant createdAt) {
        static EntryView of(CreditEntry e) {
            return new EntryView(e.id(), e.kind(), e.amount().toPlainMinorString(), e.amount().currency().getCurrencyCode(), e.sourceId(),
                    e.description(), e.createdAt());
        }
    }

    record CreditView(String object, String customerId, String balance, String currency, List<EntryView> entries) {
    }

    public void register(Javalin app) {
        app.get("/v1/customers/{id}/credit", ctx -> {
            var b = credits.balance(Requests.caller(ctx), ctx.pathParam("id"));
            Responses.json(ctx, 200, new CreditView("customer_credit", b.customerId(), b.balance().toPlainMinorString(),
                    b.balance().currency().getCurrencyCode(), b.entries().stream().map(EntryView::of).toList()));
        });
    }
}

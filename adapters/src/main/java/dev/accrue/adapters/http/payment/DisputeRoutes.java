package dev.accrue.adapters.http.payment;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.page.Page;
import dev.accrue.app.payment.Dispute;
import dev.accrue.app.payment.DisputeService;
import io.javalin.config.RoutesConfig;

import java.time.Instant;

/** Disputes (chargebacks) reported by the gateway, listed for a customer or an invoice (docs/payments.md#disputes). */
public final class DisputeRoutes {
    private final DisputeService disputes;

    public DisputeRoutes(DisputeService disputes) {
        this.disputes = disputes;
    }

    record DisputeView(String id, String object, String paymentId, String customerId, String invoiceId, String amount, String currency, String amountTaken,
                       String reason, String status, String gatewayStatus, String gatewayReference, Instant createdAt, Instant updatedAt, Instant closedAt) {
        static DisputeView of(Dispute d) {
            return new DisputeView(d.id(), "dispute", d.paymentId(), d.customerId(), d.invoiceId(), d.amount().toPlainMinorString(),
                    d.amount().currency().getCurrencyCode(), d.taken().toPlainMinorString(), d.reason(), d.status(), d.gatewayStatus(), d.gatewayReference(),
                    d.createdAt(), d.updatedAt(), d.closedAt());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/disputes", ctx -> {
            Page<Dispute> page = disputes.list(Requests.caller(ctx), ctx.queryParam("customer_id"), ctx.queryParam("invoice_id"), Requests.page(ctx));
            String next = page.hasMore() && !page.items().isEmpty() ? Requests.encodeCursor(page.items().getLast().id()) : null;
            Responses.json(ctx, 200, new Responses.ListEnvelope<>("list", page.items().stream().map(DisputeView::of).toList(), page.hasMore(), next));
        });
    }
}

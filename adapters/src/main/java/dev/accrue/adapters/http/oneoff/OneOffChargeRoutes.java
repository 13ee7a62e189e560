package dev.accrue.adapters.http.oneoff;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.oneoff.OneOffCharge;
import dev.accrue.app.oneoff.OneOffChargeService;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** /v1/customers/{id}/one_off_charges: a manual charge or professional-services fee, invoiced now or on the next invoice. */
public final class OneOffChargeRoutes {
    private final OneOffChargeService charges;
    private final Idempotency idempotency;

    public OneOffChargeRoutes(OneOffChargeService charges, Idempotency idempotency) {
        this.charges = charges;
        this.idempotency = idempotency;
    }

    record CreateBody(String description, BigDecimal amount, BigDecimal quantity, BigDecimal unitPrice, String currency, String taxCategory,
                      String invoice, String subscriptionId) {
    }

    record ChargeView(String id, String object, String customerId, String subscriptionId, String description, String quantity, String unitPrice,
                      String amount, String currency, String taxCategory, String invoice, String invoiceId, LocalDate serviceDate, Instant createdAt) {
        static ChargeView of(OneOffCharge c) {
            return new ChargeView(c.id(), "one_off_charge", c.customerId(), c.subscriptionId(), c.description(), c.quantity().toPlainString(),
                    c.unitPrice().toPlainMinorString(), c.amount().toPlainMinorString(), c.amount().currency().getCurrencyCode(), c.taxCategory().wire(),
                    c.invoicing(), c.invoiceId(), c.serviceDate(), c.createdAt());
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/customers/{id}/one_off_charges", ctx -> {
            CreateBody b = Requests.body(ctx, CreateBody.class);
            var caller = Requests.caller(ctx);
            idempotency.create(ctx, 201, () -> ChargeView.of(charges.create(caller, ctx.pathParam("id"), new OneOffChargeService.Request(
                    b.description(), b.amount(), b.quantity(), b.unitPrice(), b.currency(), b.taxCategory(), b.invoice(), b.subscriptionId())).charge()));
        });
        app.get("/v1/customers/{id}/one_off_charges", ctx -> {
            var page = charges.list(Requests.caller(ctx), ctx.pathParam("id"), Requests.page(ctx));
            Responses.list(ctx, page.map(ChargeView::of), ChargeView::id);
        });
    }
}

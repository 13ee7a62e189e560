package dev.accrue.adapters.http.rental;

import dev.accrue.adapters.http.invoice.InvoiceView;
import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.rental.PhoneNumber;
import dev.accrue.app.rental.PhoneNumberService;
import io.javalin.config.RoutesConfig;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** /v1/subscriptions/{id}/numbers: provision, list, auto-pay, renew after a hold, release. */
public final class PhoneNumberRoutes {
    private final PhoneNumberService numbers;
    private final Idempotency idempotency;

    public PhoneNumberRoutes(PhoneNumberService numbers, Idempotency idempotency) {
        this.numbers = numbers;
        this.idempotency = idempotency;
    }

    record ProvisionBody(String number, String country, String type, String addOn) {
    }

    record AutoPayBody(Boolean autoPay) {
    }

    record NumberView(String id, String object, String subscriptionId, String number, String country, String type, String addOn, String status, boolean autoPay,
                      LocalDate provisionedOn, LocalDate trialEndsOn, LocalDate paidThrough, LocalDate onHoldSince, LocalDate releaseOn,
                      LocalDate releasedOn, Instant createdAt) {
        static NumberView of(PhoneNumber n) {
            return new NumberView(n.id(), "phone_number", n.subscriptionId(), n.number(), n.country(), n.type(), n.addOnCode(), n.status(), n.autoPay(),
                    n.provisionedOn(),
                    n.trialEndsOn(), n.billedThrough(), n.onHoldSince(), n.holdReleaseOn(), n.releasedOn(), n.createdAt());
        }
    }

    record ProvisionedView(String object, NumberView number, InvoiceView invoice) {
        static ProvisionedView of(PhoneNumberService.Provisioned p) {
            return new ProvisionedView("phone_number_charge", NumberView.of(p.number()), p.invoice() == null ? null : InvoiceView.of(p.invoice()));
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/subscriptions/{id}/numbers", ctx -> {
            ProvisionBody b = Requests.body(ctx, ProvisionBody.class);
            idempotency.create(ctx, 201, () -> ProvisionedView.of(numbers.provision(Requests.caller(ctx), ctx.pathParam("id"), b.number(), b.country(), b.type(), b.addOn())));
        });
        app.get("/v1/subscriptions/{id}/numbers", ctx -> Responses.listAll(ctx, numbers.list(Requests.caller(ctx), ctx.pathParam("id")),
                n -> n.id(), NumberView::of));
        app.patch("/v1/subscriptions/{id}/numbers/{numberId}", ctx -> {
            AutoPayBody b = Requests.body(ctx, AutoPayBody.class);
            Responses.json(ctx, 200, NumberView.of(numbers.setAutoPay(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("numberId"), b.autoPay())));
        });
        app.post("/v1/subscriptions/{id}/numbers/{numberId}/hold", ctx -> Responses.json(ctx, 200,
                NumberView.of(numbers.hold(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("numberId")))));
        app.post("/v1/subscriptions/{id}/numbers/{numberId}/renew", ctx -> Responses.json(ctx, 200,
                ProvisionedView.of(numbers.renew(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("numberId")))));
        app.delete("/v1/subscriptions/{id}/numbers/{numberId}", ctx -> Responses.json(ctx, 200,
                NumberView.of(numbers.release(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("numberId")))));
    }
}

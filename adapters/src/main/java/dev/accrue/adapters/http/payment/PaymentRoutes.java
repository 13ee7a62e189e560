package dev.accrue.adapters.http.payment;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.document.Document;
import dev.accrue.app.document.DocumentService;
import dev.accrue.app.page.Page;
import dev.accrue.app.payment.Payment;
import dev.accrue.app.payment.PaymentMethodService;
import dev.accrue.app.payment.PaymentService;
import dev.accrue.app.payment.PaymentSettings;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.payment.DunningPolicy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Payment methods of a customer, payments (automatic and manual), refunds, payment receipts, and the tenant's
 * payment settings (dunning schedule, accepted card brands).
 */
public final class PaymentRoutes {
    private final PaymentMethodService methods;
    private final PaymentService payments;
    private final DocumentService documents;
    private final Idempotency idempotency;

    public PaymentRoutes(PaymentMethodService methods, PaymentService payments, DocumentService documents, Idempotency idempotency) {
        this.methods = methods;
        this.payments = payments;
        this.documents = documents;
        this.idempotency = idempotency;
    }

    record AddBody(String token, CustomerDraft.AddressDraft billingAddress, Integer priority) {
    }

    record UpdateBody(Integer expMonth, Integer expYear, CustomerDraft.AddressDraft billingAddress, Integer priority) {
    }

    record ManualBody(BigDecimal amount, String currency, LocalDate receivedOn, String method, String reference) {
    }

    record RefundBody(BigDecimal amount, String reason, String creditNoteId) {
    }

    record ResolveBody(String outcome, String reference, String reason) {
    }

    record SettingsBody(List<Integer> retryDays, Integer graceDays, List<String> acceptedCardBrands) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/customers/{id}/payment_methods", ctx -> {
            AddBody b = Requests.body(ctx, AddBody.class);
            idempotency.create(ctx, 201, () -> PaymentViews.MethodView.of(methods.add(Requests.caller(ctx), ctx.pathParam("id"),
                    new PaymentMethodService.NewMethod(b.token(), b.billingAddress(), b.priority()))));
        });
        app.get("/v1/customers/{id}/payment_methods", ctx -> Responses.listAll(ctx, methods.list(Requests.caller(ctx), ctx.pathParam("id")),
                m -> m.id(), PaymentViews.MethodView::of));
        app.get("/v1/customers/{id}/payment_methods/{method_id}", ctx -> Responses.json(ctx, 200,
                PaymentViews.MethodView.of(methods.get(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("method_id")))));
        app.patch("/v1/customers/{id}/payment_methods/{method_id}", ctx -> {
            UpdateBody b = Requests.body(ctx, UpdateBody.class);
            Responses.json(ctx, 200, PaymentViews.MethodView.of(methods.update(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("method_id"),
                    new PaymentMethodService.Change(b.expMonth(), b.expYear(), b.billingAddress(), b.priority()))));
        });
        app.post("/v1/customers/{id}/payment_methods/{method_id}/default", ctx -> Responses.json(ctx, 200,
                PaymentViews.MethodView.of(methods.makeDefault(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("method_id")))));
        app.delete("/v1/customers/{id}/payment_methods/{method_id}", ctx -> {
            methods.remove(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("method_id"));
            Responses.json(ctx, 200, Map.of("id", ctx.pathParam("method_id"), "object", "payment_method", "deleted", true));
        });

        app.post("/v1/invoices/{id}/payments", ctx -> {
            ManualBody b = Requests.body(ctx, ManualBody.class);
            idempotency.create(ctx, 201, () -> PaymentViews.PaymentView.of(payments.recordManual(Requests.caller(ctx), ctx.pathParam("id"),
                    new PaymentService.ManualPayment(b.amount(), b.currency(), b.receivedOn(), b.method(), b.reference()))));
        });
        app.get("/v1/invoices/{id}/payments", ctx -> list(ctx, null, ctx.pathParam("id")));
        app.get("/v1/payments", ctx -> list(ctx, ctx.queryParam("customer_id"), ctx.queryParam("invoice_id")));
        app.get("/v1/payments/{id}", ctx -> Responses.json(ctx, 200, PaymentViews.PaymentView.of(payments.get(Requests.caller(ctx), ctx.pathParam("id")))));
        app.post("/v1/payments/{id}/refunds", ctx -> {
            RefundBody b = Requests.body(ctx, RefundBody.class);
            idempotency.create(ctx, 201, () -> PaymentViews.RefundView.of(payments.refund(Requests.caller(ctx), ctx.pathParam("id"),
                    new PaymentService.RefundRequest(b.amount(), b.reason(), b.creditNoteId()))));
        });
        app.post("/v1/payments/{id}/resolve", ctx -> {
            ResolveBody b = Requests.body(ctx, ResolveBody.class);
            Responses.json(ctx, 200, PaymentViews.PaymentView.of(payments.resolve(Requests.caller(ctx), ctx.pathParam("id"),
                    new PaymentService.Resolution(b.outcome(), b.reference(), b.reason()))));
        });
        app.get("/v1/payments/{id}/refunds", ctx -> Responses.listAll(ctx, payments.refunds(Requests.caller(ctx), ctx.pathParam("id")),
                r -> r.id(), PaymentViews.RefundView::of));
        app.get("/v1/payments/{id}/receipt/pdf", ctx -> {
            Document d = documents.paymentReceipt(Requests.caller(ctx), ctx.pathParam("id"));
            ctx.status(200).contentType("application/pdf").header("Content-Disposition", "inline; filename=\"" + d.number() + ".pdf\"")
                    .header("Cache-Control", "private, no-store").result(documents.pdf(d));
        });
        app.get("/v1/payments/{id}/receipt/html", ctx -> ctx.status(200).contentType("text/html; charset=utf-8").header("Cache-Control", "private, no-store")
                .result(documents.html(documents.paymentReceipt(Requests.caller(ctx), ctx.pathParam("id")), null)));

        app.get("/v1/tenant/payment_settings", ctx -> Responses.json(ctx, 200, PaymentViews.SettingsView.of(methods.settings(Requests.caller(ctx)))));
        app.put("/v1/tenant/payment_settings", ctx -> {
            SettingsBody b = Requests.body(ctx, SettingsBody.class);
            if (b.retryDays() == null || b.graceDays() == null || b.acceptedCardBrands() == null) {
                String missing = b.retryDays() == null ? "retry_days" : b.graceDays() == null ? "grace_days" : "accepted_card_brands";
                throw new AccrueException(ErrorCode.MISSING_FIELD, missing, missing + " is required (the settings are replaced as a whole)");
            }
            PaymentSettings settings = new PaymentSettings(new DunningPolicy(b.retryDays(), b.graceDays()), b.acceptedCardBrands());
            Responses.json(ctx, 200, PaymentViews.SettingsView.of(methods.updateSettings(Requests.caller(ctx), settings)));
        });
    }

    private void list(Context ctx, String customerId, String invoiceId) {
        Page<Payment> page = payments.list(Requests.caller(ctx), customerId, invoiceId, Requests.page(ctx));
        String next = page.hasMore() && !page.items().isEmpty() ? Requests.encodeCursor(page.items().getLast().id()) : null;
        Responses.json(ctx, 200, new Responses.ListEnvelope<>("list", page.items().stream().map(PaymentViews.PaymentView::of).toList(), page.hasMore(), next));
    }
}

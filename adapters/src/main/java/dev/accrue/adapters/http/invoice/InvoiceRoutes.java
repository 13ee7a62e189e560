package dev.accrue.adapters.http.invoice;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.billing.UpcomingInvoice;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.invoice.InvoiceService;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.invoice.InvoiceStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** /v1/invoices: newest first, filtered by customer, subscription, status and issue-date range. */
public final class InvoiceRoutes {
    private static final Set<String> STATUSES = Set.of("draft", "proforma", "finalized", "paid", "void", "uncollectible");
    private final InvoiceService invoices;
    private final UpcomingInvoice upcoming;

    public InvoiceRoutes(InvoiceService invoices, UpcomingInvoice upcoming) {
        this.invoices = invoices;
        this.upcoming = upcoming;
    }

    /** The next invoice of a subscription as it stands: not stored, so no id, number or status. */
    record UpcomingView(String object, String subscriptionId, String customerId, String currency, String subtotal, String total,
                        LocalDate issueDate, LocalDate periodStart, LocalDate periodEnd, List<InvoiceView.LineView> lines) {
        static UpcomingView of(Invoice i) {
            return new UpcomingView("upcoming_invoice", i.subscriptionId(), i.customerId(), i.total().currency().getCurrencyCode(),
                    i.subtotal().toPlainMinorString(), i.total().toPlainMinorString(), i.issueDate(), i.periodStart(), i.periodEnd(),
                    i.lines().stream().map(InvoiceView.LineView::of).toList());
        }
    }

    /** The payment's reference, printed on the paid invoice (optional). */
    record PaidBody(String reference) {
    }

    public void register(RoutesConfig app) {
        app.get("/v1/invoices", this::list);
        app.get("/v1/invoices/{id}", ctx -> Responses.json(ctx, 200, InvoiceView.of(invoices.get(Requests.caller(ctx), ctx.pathParam("id")))));
        app.get("/v1/subscriptions/{id}/upcoming_invoice", ctx -> Responses.json(ctx, 200,
                UpcomingView.of(upcoming.preview(Requests.caller(ctx), ctx.pathParam("id")))));
        app.post("/v1/invoices/{id}/mark_paid", ctx -> {
            PaidBody body = ctx.body().isBlank() ? new PaidBody(null) : Requests.body(ctx, PaidBody.class);
            Responses.json(ctx, 200, InvoiceView.of(invoices.markPaid(Requests.caller(ctx), ctx.pathParam("id"), body.reference())));
        });
        app.post("/v1/invoices/{id}/void", ctx -> settle(ctx, InvoiceStatus.VOID));
        app.post("/v1/invoices/{id}/mark_uncollectible", ctx -> settle(ctx, InvoiceStatus.UNCOLLECTIBLE));
    }

    private void settle(Context ctx, InvoiceStatus to) {
        Responses.json(ctx, 200, InvoiceView.of(invoices.settle(Requests.caller(ctx), ctx.pathParam("id"), to)));
    }

    private void list(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status)) {
            throw AccrueException.invalid("status", "status must be one of " + STATUSES + ", got '" + status + "'");
        }
        var query = new InvoiceQuery(ctx.queryParam("customer_id"), ctx.queryParam("subscription_id"), status,
                Requests.date(ctx, "issued_from"), Requests.date(ctx, "issued_before"));
        Responses.list(ctx, invoices.list(Requests.caller(ctx), query, Requests.page(ctx)).map(InvoiceView::of), InvoiceView::id);
    }
}

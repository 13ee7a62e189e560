package dev.accrue.adapters.http.creditnote;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.creditnote.CreditNoteRequest;
import dev.accrue.app.creditnote.CreditNoteService;
import io.javalin.config.RoutesConfig;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Credit notes: created against an invoice, read alone, per invoice or across the tenant (newest first). */
public final class CreditNoteRoutes {
    private final CreditNoteService notes;
    private final Idempotency idempotency;

    public CreditNoteRoutes(CreditNoteService notes, Idempotency idempotency) {
        this.notes = notes;
        this.idempotency = idempotency;
    }

    record LineView(Integer invoiceLine, String description, String amount) {
    }

    record CreditNoteView(String id, String object, String number, String invoiceId, String invoiceNumber, String customerId, String currency,
                          String total, String reason, String resolution, LocalDate issueDate, List<LineView> lines, Instant createdAt) {
        static CreditNoteView of(CreditNote n) {
            return new CreditNoteView(n.id(), "credit_note", n.number(), n.invoiceId(), n.invoiceNumber(), n.customerId(),
                    n.total().currency().getCurrencyCode(), n.total().toPlainMinorString(), n.reason(), n.resolution(), n.issueDate(),
                    n.lines().stream().map(l -> new LineView(l.invoiceLine(), l.description(), l.amount().toPlainMinorString())).toList(),
                    n.createdAt());
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/invoices/{id}/credit_notes", ctx -> {
            CreditNoteRequest body = Requests.body(ctx, CreditNoteRequest.class);
            idempotency.create(ctx, 201, () -> CreditNoteView.of(notes.create(Requests.caller(ctx), ctx.pathParam("id"), body)));
        });
        app.get("/v1/invoices/{id}/credit_notes", ctx -> Responses.list(ctx,
                notes.list(Requests.caller(ctx), null, ctx.pathParam("id"), Requests.page(ctx)).map(CreditNoteView::of), CreditNoteView::id));
        app.get("/v1/credit_notes", ctx -> Responses.list(ctx,
                notes.list(Requests.caller(ctx), ctx.queryParam("customer_id"), ctx.queryParam("invoice_id"), Requests.page(ctx))
                        .map(CreditNoteView::of), CreditNoteView::id));
        app.get("/v1/credit_notes/{id}", ctx -> Responses.json(ctx, 200, CreditNoteView.of(notes.get(Requests.caller(ctx), ctx.pathParam("id")))));
    }
}

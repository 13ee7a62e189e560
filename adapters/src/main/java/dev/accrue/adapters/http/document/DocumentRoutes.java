package dev.accrue.adapters.http.document;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.document.Document;
import dev.accrue.app.document.DocumentService;
import dev.accrue.core.error.AccrueException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Documents as files: each kind's PDF, an invoice's and a credit note's e-invoices (Factur-X PDF, CII and UBL
 * XML), their hosted links, and the hosted pages themselves, which need no API key: the unguessable token is the key.
 */
public final class DocumentRoutes {
    private final DocumentService documents;
    private final Supplier<String> publicUrl;

    public DocumentRoutes(DocumentService documents, Supplier<String> publicUrl) {
        this.documents = documents;
        this.publicUrl = publicUrl;
    }

    public void register(RoutesConfig app) {
        app.get("/v1/invoices/{id}/pdf", ctx -> pdf(ctx, documents.invoice(Requests.caller(ctx), ctx.pathParam("id"))));
        app.get("/v1/invoices/{id}/html", ctx -> html(ctx, documents.html(documents.invoice(Requests.caller(ctx), ctx.pathParam("id")), null)));
        app.get("/v1/invoices/{id}/facturx", ctx -> {
            byte[] bytes = documents.facturX(Requests.caller(ctx), ctx.pathParam("id"));
            file(ctx, "application/pdf", ctx.pathParam("id") + "-facturx.pdf", bytes);
        });
        app.get("/v1/invoices/{id}/cii", ctx -> file(ctx, "application/xml", ctx.pathParam("id") + "-cii.xml",
                documents.cii(Requests.caller(ctx), ctx.pathParam("id")).getBytes(StandardCharsets.UTF_8)));
        app.get("/v1/invoices/{id}/ubl", ctx -> file(ctx, "application/xml", ctx.pathParam("id") + "-ubl.xml",
                documents.ubl(Requests.caller(ctx), ctx.pathParam("id")).getBytes(StandardCharsets.UTF_8)));
        app.post("/v1/invoices/{id}/hosted_link", ctx -> {
            String path = documents.hostedPath(Requests.caller(ctx), ctx.pathParam("id"));
            Responses.json(ctx, 200, Map.of("object", "hosted_link", "url", publicUrl.get() + path, "pdf_url", publicUrl.get() + path + "/pdf"));
        });
        app.get("/v1/credit_notes/{id}/pdf", ctx -> pdf(ctx, documents.creditNote(Requests.caller(ctx), ctx.pathParam("id"))));
        app.get("/v1/credit_notes/{id}/html", ctx -> html(ctx, documents.html(documents.creditNote(Requests.caller(ctx), ctx.pathParam("id")), null)));
        app.get("/v1/credit_notes/{id}/facturx", ctx -> file(ctx, "application/pdf", ctx.pathParam("id") + "-facturx.pdf",
                documents.creditNoteFacturX(Requests.caller(ctx), ctx.pathParam("id"))));
        app.get("/v1/credit_notes/{id}/cii", ctx -> file(ctx, "application/xml", ctx.pathParam("id") + "-cii.xml",
                documents.creditNoteCii(Requests.caller(ctx), ctx.pathParam("id")).getBytes(StandardCharsets.UTF_8)));
        app.get("/v1/credit_notes/{id}/ubl", ctx -> file(ctx, "application/xml", ctx.pathParam("id") + "-ubl.xml",
                documents.creditNoteUbl(Requests.caller(ctx), ctx.pathParam("id")).getBytes(StandardCharsets.UTF_8)));
        app.post("/v1/credit_notes/{id}/hosted_link", ctx -> {
            String path = documents.creditNoteHostedPath(Requests.caller(ctx), ctx.pathParam("id"));
            Responses.json(ctx, 200, Map.of("object", "hosted_link", "url", publicUrl.get() + path, "pdf_url", publicUrl.get() + path + "/pdf"));
        });
        app.get("/v1/receipts/{id}/pdf", ctx -> pdf(ctx, documents.receipt(Requests.caller(ctx), ctx.pathParam("id"))));
        app.get("/v1/customers/{id}/wallet/statements/{month}/pdf", ctx -> pdf(ctx,
                documents.statement(Requests.caller(ctx), ctx.pathParam("id"), month(ctx.pathParam("month")))));
        app.get("/v1/receipts/{id}/html", ctx -> html(ctx, documents.html(documents.receipt(Requests.caller(ctx), ctx.pathParam("id")), null)));
        app.get("/v1/customers/{id}/wallet/statements/{month}/html", ctx -> html(ctx, documents.html(
                documents.statement(Requests.caller(ctx), ctx.pathParam("id"), month(ctx.pathParam("month"))), null)));
        app.get("/hosted/{token}", ctx -> {
            Document d = documents.hosted(ctx.pathParam("token"));
            html(ctx, documents.html(d, "/hosted/" + ctx.pathParam("token") + "/pdf"));
        });
        app.get("/hosted/{token}/pdf", ctx -> pdf(ctx, documents.hosted(ctx.pathParam("token"))));
    }

    private void pdf(Context ctx, Document d) {
        file(ctx, "application/pdf", d.number().replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf", documents.pdf(d));
    }

    private static void html(Context ctx, String html) {
        ctx.status(200).contentType("text/html; charset=utf-8").header("Cache-Control", "private, no-store")
                .header("Referrer-Policy", "no-referrer").result(html);
    }

    private static void file(Context ctx, String type, String filename, byte[] bytes) {
        ctx.status(200).contentType(type).header("Content-Disposition", "inline; filename=\"" + filename + "\"")
                .header("Cache-Control", "private, no-store").result(bytes);
    }

    private static YearMonth month(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw AccrueException.invalid("month", "month must be YYYY-MM, got '" + text + "'");
        }
    }
}

package dev.accrue.app.document;

import dev.accrue.app.mail.MailComposer;
import dev.accrue.app.mail.MailMessage;
import dev.accrue.app.mail.OutboundEmail;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.util.List;
import java.util.function.Supplier;

/**
 * Composes the outbox's templated emails from the documents they are about, at send time: the subject, text
 * and HTML parts from the email templates, a link to the hosted page, and the PDF attached (for an invoice,
 * and a credit note, its Factur-X PDF/A-3, which carries the e-invoice). An email without a template is sent as stored.
 */
public final class DocumentMail implements MailComposer {
    private final DocumentService documents;
    private final Supplier<String> publicUrl;
    private final EmailTemplateService wordings;

    /** {@code publicUrl}: where customers reach this server (hosted links are printed into emails); {@code wordings}: the tenant's own subjects and intros. */
    public DocumentMail(DocumentService documents, Supplier<String> publicUrl, EmailTemplateService wordings) {
        this.documents = documents;
        this.publicUrl = publicUrl;
        this.wordings = wordings;
    }

    @Override
    public MailMessage compose(String tenantId, OutboundEmail e) {
        if (e.template() == null) {
            return new MailMessage(e.id(), e.recipients(), e.subject(), e.body(), e.htmlBody(), List.of());
        }
        String linkType;
        Document d;
        switch (e.template()) {
            case "invoice", "proforma" -> {
                d = documents.invoiceOf(tenantId, e.objectId());
                linkType = "invoice";
            }
            case "receipt" -> {
                d = documents.receiptOf(tenantId, e.objectId());
                linkType = "receipt";
            }
            case "payment_receipt" -> {
                d = documents.paymentReceiptOf(tenantId, e.objectId());
                linkType = "payment_receipt";
            }
            case "credit_note" -> {
                d = documents.creditNoteOf(tenantId, e.objectId());
                linkType = "credit_note";
            }
            case "statement" -> {
                d = documents.statementOf(tenantId, e.objectId());
                linkType = "statement";
            }
            default -> throw new IllegalStateException("Email " + e.id() + " names an unknown template '" + e.template() + "'");
        }
        String link = publicUrl.get() + documents.hostedPathOf(tenantId, linkType, e.objectId());
        var rendered = documents.renderer().email(d, link, wordings.wordingOf(tenantId, e.template()));
        byte[] pdf = d.kind() == DocumentKind.INVOICE && !"void".equals(d.status()) && !"draft".equals(d.status())
                ? documents.facturX(d) : d.kind() == DocumentKind.CREDIT_NOTE ? creditNotePdf(d) : documents.pdf(d);
        var attachment = new MailMessage.Attachment(d.number().replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf", "application/pdf", pdf);
        return new MailMessage(e.id(), e.recipients(), rendered.subject(), rendered.text(), rendered.html(), List.of(attachment));
    }

    /**
     * A credit note goes out as Factur-X; should the e-invoice writer ever refuse it (not_an_invoice: a tax EN 16931 would
     * not accept, which billing's rounding does not produce), as its plain PDF rather than never.
     */
    private byte[] creditNotePdf(Document d) {
        try {
            return documents.facturX(d);
        } catch (AccrueException refused) {
            if (refused.code() != ErrorCode.NOT_AN_INVOICE) {
                throw refused;
            }
            return documents.pdf(d);
        }
    }
}

package dev.accrue.app.document;

/**
 * Lays out a {@link Document} from the one template source: as HTML (the hosted page, with a link to its PDF
 * when {@code pdfLink} is set), as PDF, and as PDF/A-3 (the base of a Factur-X invoice). Rendering never
 * touches the database.
 */
public interface DocumentRenderer {
    String html(Document document, String pdfLink);

    byte[] pdf(Document document);

    byte[] pdfA3(Document document);

    /** The email telling the customer about {@code document}; {@code link} is its hosted page. */
    default RenderedEmail email(Document document, String link) {
        return email(document, link, null);
    }

    /** The same, in the tenant's own wording where {@code wording} (null: none) sets a subject or an intro. */
    RenderedEmail email(Document document, String link, EmailTemplate wording);

    /** Refuses ({@code invalid_template}, naming the placeholder or the syntax error) wording that could not be rendered. */
    void checkEmailTemplate(EmailTemplate wording);

    record RenderedEmail(String subject, String text, String html) {
    }
}

package dev.accrue.app.document;

/** EN 16931 e-invoices of an invoice: UN/CEFACT CII, OASIS UBL, and a Factur-X PDF/A-3 carrying the CII. */
public interface EInvoiceWriter {
    String cii(Document invoice);

    String ubl(Document invoice);

    /** Embeds the CII of {@code invoice} into {@code pdfA3} (the rendered invoice), as Factur-X EN 16931. */
    byte[] facturX(Document invoice, byte[] pdfA3);
}

package dev.accrue.app.document;

import com.github.benmanes.caffeine.cache.Cache;
import dev.accrue.app.cache.Caches;
import dev.accrue.core.invoice.InvoiceStatus;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rendered PDFs of numbered invoices and of receipts, so a repeated download costs a lookup instead of a render (about 200 ms).
 * The key is the whole {@link Document} — a record of records, lists and values, so equal content is an equal key:
 * the document's version is its content. When anything printed changes (a payment marks it paid, the seller's
 * branding changes, erasure anonymises the customer) the next download is a miss and renders the new content, so a
 * stale PDF is never served and nothing has to remember to invalidate. Drafts are not kept (they change constantly).
 * Entries leave after an hour even if read, so an old version (e.g. a customer's data before erasure) does not stay.
 */
final class RenderedInvoicePdfs {
    private static final Set<String> NUMBERED = Set.of(InvoiceStatus.FINALIZED, InvoiceStatus.PAID, InvoiceStatus.UNCOLLECTIBLE, InvoiceStatus.VOID)
            .stream().map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    private final Cache<Document, byte[]> pdfs = Caches.written("invoice_pdfs", 2_000, Duration.ofHours(1));

    byte[] pdf(Document document, Function<Document, byte[]> render) {
        if (!cacheable(document)) {
            return render.apply(document);
        }
        return pdfs.get(document, render);
    }

    /**
     * Numbered invoices, and receipts (a wallet top-up's or a payment's: issued once, never edited — the portal's
     * receipt download rendered every time was its slowest page, issue 15 point 11).
     */
    static boolean cacheable(Document d) {
        if (d.kind() == DocumentKind.RECEIPT || d.kind() == DocumentKind.PAYMENT_RECEIPT) {
            return true;
        }
        return d.kind() == DocumentKind.INVOICE && d.status() != null && NUMBERED.contains(d.status().toLowerCase(Locale.ROOT));
    }
}

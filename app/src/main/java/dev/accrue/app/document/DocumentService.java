package dev.accrue.app.document;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.creditnote.CreditNoteRepository;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.seller.SellerService;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.wallet.Receipt;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceStatus;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Base64;
import java.util.Set;

/**
 * Documents on demand: invoices, credit notes, proformas, receipts and statements as HTML and PDF, invoices and
 * credit notes as e-invoices,
 * and hosted pages behind unguessable links. Reads happen in one short transaction; rendering happens after
 * it, so no database connection waits on a PDF.
 */
public final class DocumentService {
    /** Invoices in these states carry a number and final amounts, so they can be e-invoices. */
    private static final Set<InvoiceStatus> E_INVOICEABLE = Set.of(InvoiceStatus.FINALIZED, InvoiceStatus.PAID, InvoiceStatus.UNCOLLECTIBLE);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Transactions tx;
    private final InvoiceRepository invoices;
    private final CustomerRepository customers;
    private final WalletService wallets;
    private final SellerService sellers;
    private final InvoicePayments payments;
    private final DocumentLinks links;
    private final DocumentRenderer renderer;
    private final EInvoiceWriter eInvoices;
    private final Clock clock;
    private final PaymentReceiptFacts paymentReceipts;
    private final CreditNoteRepository creditNotes;
    private final RenderedInvoicePdfs renderedInvoices = new RenderedInvoicePdfs();

    public DocumentService(Transactions tx, InvoiceRepository invoices, CustomerRepository customers, WalletService wallets, SellerService sellers,
                           InvoicePayments payments, DocumentLinks links, DocumentRenderer renderer, EInvoiceWriter eInvoices, Clock clock,
                           PaymentReceiptFacts paymentReceipts, CreditNoteRepository creditNotes) {
        this.tx = tx;
        this.creditNotes = creditNotes;
        this.paymentReceipts = paymentReceipts;
        this.invoices = invoices;
        this.customers = customers;
        this.wallets = wallets;
        this.sellers = sellers;
        this.payments = payments;
        this.links = links;
        this.renderer = renderer;
        this.eInvoices = eInvoices;
        this.clock = clock;
    }

    // ---- the documents, for an API caller ----

    public Document invoice(Caller caller, String invoiceId) {
        return tx.inTransaction(() -> invoiceOf(caller.tenantId(), invoiceId));
    }

    public Document creditNote(Caller caller, String creditNoteId) {
        return tx.inTransaction(() -> creditNoteOf(caller.tenantId(), creditNoteId));
    }

    public Document receipt(Caller caller, String receiptId) {
        Receipt r = wallets.receipt(caller, receiptId);
        return tx.inTransaction(() -> DocumentAssembler.receipt(sellers.of(caller.tenantId()), customer(caller.tenantId(), r.customerId()), r));
    }

    /** The receipt of a succeeded payment of an invoice. */
    public Document paymentReceipt(Caller caller, String paymentId) {
        return tx.inTransaction(() -> paymentReceiptOf(caller.tenantId(), paymentId));
    }

    public Document statement(Caller caller, String customerId, YearMonth month) {
        var s = wallets.statement(caller, customerId, month);
        return tx.inTransaction(() -> DocumentAssembler.statement(sellers.of(caller.tenantId()), customer(caller.tenantId(), customerId), s));
    }

    public byte[] pdf(Document document) {
        return renderedInvoices.pdf(document, renderer::pdf);
    }

    public String html(Document document, String pdfLink) {
        return renderer.html(document, pdfLink);
    }

    // ---- e-invoices ----

    public String cii(Caller caller, String invoiceId) {
        return eInvoices.cii(eInvoiceable(invoice(caller, invoiceId)));
    }

    public String ubl(Caller caller, String invoiceId) {
        return eInvoices.ubl(eInvoiceable(invoice(caller, invoiceId)));
    }

    public byte[] facturX(Caller caller, String invoiceId) {
        return facturX(invoice(caller, invoiceId));
    }

    // ---- e-invoices of credit notes (document type 381, referencing the invoice they correct) ----

    public String creditNoteCii(Caller caller, String creditNoteId) {
        return eInvoices.cii(creditNote(caller, creditNoteId));
    }

    public String creditNoteUbl(Caller caller, String creditNoteId) {
        return eInvoices.ubl(creditNote(caller, creditNoteId));
    }

    public byte[] creditNoteFacturX(Caller caller, String creditNoteId) {
        return facturX(creditNote(caller, creditNoteId));
    }

    byte[] facturX(Document invoice) {
        eInvoiceable(invoice);
        return eInvoices.facturX(invoice, renderer.pdfA3(invoice));
    }

    static Document eInvoiceable(Document d) {
        if (d.kind() == DocumentKind.CREDIT_NOTE) {
            return d;
        }
        if (d.kind() != DocumentKind.INVOICE || !E_INVOICEABLE.contains(InvoiceStatus.valueOf(d.status().toUpperCase(java.util.Locale.ROOT)))) {
            throw new AccrueException(ErrorCode.NOT_AN_INVOICE, "status", "Invoice " + d.id() + " is " + d.status()
                    + "; e-invoices exist for numbered invoices (finalized, paid or uncollectible), not drafts, proformas or void ones");
        }
        return d;
    }

    // ---- hosted pages ----

    /** The path of the invoice's hosted page (created on first use), relative to the server's public URL. */
    public String hostedPath(Caller caller, String invoiceId) {
        return tx.inTransaction(() -> {
            invoices.find(caller.tenantId(), invoiceId).orElseThrow(() -> AccrueException.notFound("invoice", invoiceId));
            return hostedPathOf(caller.tenantId(), "invoice", invoiceId);
        });
    }

    /** The path of the credit note's hosted page (created on first use). */
    public String creditNoteHostedPath(Caller caller, String creditNoteId) {
        return tx.inTransaction(() -> {
            creditNotes.find(caller.tenantId(), creditNoteId).orElseThrow(() -> AccrueException.notFound("credit_note", creditNoteId));
            return hostedPathOf(caller.tenantId(), "credit_note", creditNoteId);
        });
    }

    String hostedPathOf(String tenantId, String objectType, String objectId) {
        return "/hosted/" + links.tokenFor(tenantId, objectType, objectId, newToken(), clock.instant());
    }

    /** The document behind a hosted link; an unknown token is indistinguishable from a missing document. */
    public Document hosted(String token) {
        return tx.inTransaction(() -> {
            var link = links.find(token).orElseThrow(() -> AccrueException.notFound("document", "(hosted link)"));
            return switch (link.objectType()) {
                case "invoice" -> invoiceOf(link.tenantId(), link.objectId());
                case "receipt" -> receiptOf(link.tenantId(), link.objectId());
                case "statement" -> statementOf(link.tenantId(), link.objectId());
                case "payment_receipt" -> paymentReceiptOf(link.tenantId(), link.objectId());
                case "credit_note" -> creditNoteOf(link.tenantId(), link.objectId());
                default -> throw AccrueException.notFound("document", "(hosted link)");
            };
        });
    }

    // ---- inside a caller's transaction (email composition) ----

    Document invoiceOf(String tenantId, String invoiceId) {
        Invoice invoice = invoices.find(tenantId, invoiceId).orElseThrow(() -> AccrueException.notFound("invoice", invoiceId));
        return DocumentAssembler.invoice(sellers.of(tenantId), customer(tenantId, invoice.customerId()), invoice,
                payments.find(tenantId, invoiceId).orElse(null), payments.received(tenantId, invoiceId));
    }

    Document creditNoteOf(String tenantId, String creditNoteId) {
        CreditNote note = creditNotes.find(tenantId, creditNoteId).orElseThrow(() -> AccrueException.notFound("credit_note", creditNoteId));
        Invoice invoice = invoices.find(tenantId, note.invoiceId()).orElseThrow();
        return DocumentAssembler.creditNote(sellers.of(tenantId), customer(tenantId, note.customerId()), invoice,
                creditNotes.ofInvoice(tenantId, invoice.id()), note);
    }

    Document paymentReceiptOf(String tenantId, String paymentId) {
        PaymentReceiptFacts.Receipt r = paymentReceipts.receipt(tenantId, paymentId).orElseThrow(() -> AccrueException.notFound("payment_receipt", paymentId));
        return DocumentAssembler.paymentReceipt(sellers.of(tenantId), customer(tenantId, r.customerId()), r);
    }

    Document receiptOf(String tenantId, String receiptId) {
        return receipt(Caller.system(tenantId), receiptId);
    }

    /** {@code objectId} is "customer:YYYY-MM", as statement emails name their month. */
    Document statementOf(String tenantId, String objectId) {
        int at = objectId.lastIndexOf(':');
        return statement(Caller.system(tenantId), objectId.substring(0, at), YearMonth.parse(objectId.substring(at + 1)));
    }

    DocumentRenderer renderer() {
        return renderer;
    }

    private Customer customer(String tenantId, String customerId) {
        return customers.find(tenantId, customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

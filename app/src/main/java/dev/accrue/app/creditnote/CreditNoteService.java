package dev.accrue.app.creditnote;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.credit.CustomerCredits;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import dev.accrue.app.page.Page;
import dev.accrue.app.seller.SellerService;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.creditnote.CreditLimits;
import dev.accrue.core.creditnote.InvoiceCredits;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Credit notes: corrections of a finalized (or paid, or uncollectible) invoice, which itself never changes. One
 * transaction locks the invoice row (so two notes of one invoice, or a note and a void, never race), checks what
 * can still be credited, tax included ({@link InvoiceCredits}, after every earlier note), takes the next {@code CN-…} number, writes the note and grants its
 * total to the customer's credit balance — its resolution {@code credit} — and, when the seller emails invoices and the
 * customer has billing emails, queues the credit note email. Anything refused writes nothing.
 */
public final class CreditNoteService {
    private final DomainEvents events;
    private static final Set<String> CREDITABLE = Set.of("finalized", "paid", "uncollectible");
    private static final int MAX_REASON = 500;
    private final Transactions tx;
    private final CreditNoteRepository notes;
    private final InvoiceRepository invoices;
    private final CustomerRepository customers;
    private final CustomerCredits credits;
    private final CustomerTime time;
    private final AuditLog audit;
    private final SellerService sellers;
    private final EmailOutbox outbox;

    public CreditNoteService(Transactions tx, CreditNoteRepository notes, InvoiceRepository invoices, CustomerRepository customers,
                             CustomerCredits credits, CustomerTime time, AuditLog audit, DomainEvents events, SellerService sellers, EmailOutbox outbox) {
        this.events = events;
        this.sellers = sellers;
        this.outbox = outbox;
        this.tx = tx;
        this.notes = notes;
        this.invoices = invoices;
        this.customers = customers;
        this.credits = credits;
        this.time = time;
        this.audit = audit;
    }

    public CreditNote create(Caller caller, String invoiceId, CreditNoteRequest request) {
        caller.requireWrite();
        String reason = request.reason() == null ? "" : request.reason().strip();
        if (reason.isEmpty()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "reason", "A credit note needs a reason");
        }
        if (reason.length() > MAX_REASON) {
            throw AccrueException.invalid("reason", "reason is at most " + MAX_REASON + " characters");
        }
        String tenantId = caller.tenantId();
        return tx.inTransaction(() -> {
            String status = notes.lockInvoice(tenantId, invoiceId).orElseThrow(() -> AccrueException.notFound("invoice", invoiceId));
            if (!CREDITABLE.contains(status)) {
                throw new AccrueException(ErrorCode.INVOICE_NOT_CREDITABLE, "status", "Invoice " + invoiceId + " is " + status
                        + "; only a finalized, paid or uncollectible invoice can be credited");
            }
            Invoice invoice = invoices.find(tenantId, invoiceId).orElseThrow();
            String currency = invoice.total().currency().getCurrencyCode();
            if (request.currency() != null && !request.currency().equals(currency)) {
                throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "currency", "Invoice " + invoice.number() + " is in " + currency
                        + ", not " + request.currency());
            }
            // what is left counts every earlier note, with tax: a credit note gives back what the customer was charged
            InvoiceCredits left = CreditedRates.after(invoice, notes.ofInvoice(tenantId, invoiceId));
            Money zero = Money.zero(invoice.total().currency());
            Money remaining = left.remainingTotal();
            List<CreditNote.Line> lines = request.lines() == null || request.lines().isEmpty()
                    ? List.of(whole(invoice, request.amount(), remaining))
                    : perLine(invoice, request, left);
            Money total = lines.stream().map(CreditNote.Line::amount).reduce(zero, Money::plus);
            CreditLimits.requireWithin(request.lines() == null || request.lines().isEmpty() ? "amount" : "lines", total, remaining,
                    "invoice " + invoice.number());
            Customer customer = customers.find(tenantId, invoice.customerId()).orElseThrow();
            String number = "CN-%06d".formatted(notes.nextNumber(tenantId));
            CreditNote note = new CreditNote(Ids.next("cn"), number, invoiceId, invoice.number(), customer.id(), total, reason,
                    CreditNote.RESOLUTION_CREDIT, time.today(tenantId, customer), time.systemNow(), lines);
            notes.insert(tenantId, note);
            // resolution "credit": the next invoices consume it; a refund resolution plugs in here once payments exist
            credits.grant(tenantId, customer, total, note.id(), "Credit note " + number + " on invoice " + invoice.number());
            audit.record(caller, "credit_note", note.id(), "credit_note.created", null, Map.of("number", number, "invoice", invoice.number(),
                    "total", total.toPlainMinorString(), "currency", currency, "reason", reason, "resolution", note.resolution()));
            events.record(tenantId, EventSnapshots.creditNote(note, note.createdAt()));
            // the customer hears of it as of its invoices: only a row here, rendered and sent by the outbox after commit
            if (sellers.of(tenantId).emailInvoices() && !customer.billingEmails().isEmpty()) {
                outbox.enqueue(tenantId, OutboundEmail.templated(Ids.next("eml"), customer.id(), customer.billingEmails(), "credit_note", "credit_note",
                        note.id(), time.systemNow()));
            }
            return note;
        });
    }

    public CreditNote get(Caller caller, String id) {
        return tx.inTransaction(() -> notes.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("credit_note", id));
    }

    public Page<CreditNote> list(Caller caller, String customerId, String invoiceId, PageRequest page) {
        return tx.inTransaction(() -> {
            if (invoiceId != null && invoices.find(caller.tenantId(), invoiceId).isEmpty()) {
                throw AccrueException.notFound("invoice", invoiceId);
            }
            return notes.list(caller.tenantId(), customerId, invoiceId, page);
        });
    }

    private static CreditNote.Line whole(Invoice invoice, BigDecimal amount, Money remaining) {
        Money credited = amount == null ? remaining : money("amount", amount, invoice);
        if (!credited.isPositive()) {
            throw CreditLimits.nothingLeft("amount", "invoice " + invoice.number());
        }
        return new CreditNote.Line(null, "Credit of invoice " + invoice.number(), credited);
    }

    private static List<CreditNote.Line> perLine(Invoice invoice, CreditNoteRequest request, InvoiceCredits left) {
        if (request.amount() != null) {
            throw AccrueException.invalid("amount", "Give either amount (a credit of the whole invoice) or lines, not both");
        }
        List<CreditNote.Line> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            CreditNoteRequest.LineRequest r = request.lines().get(i);
            String field = "lines[" + i + "]";
            if (r == null || r.line() == null) {
                throw new AccrueException(ErrorCode.MISSING_FIELD, field + ".line", "Each credited line names its invoice line (1-based)");
            }
            int no = r.line();
            if (no < 1 || no > invoice.lines().size()) {
                throw AccrueException.invalid(field + ".line", "Invoice " + invoice.number() + " has lines 1 to " + invoice.lines().size() + ", not " + no);
            }
            if (!seen.add(no)) {
                throw AccrueException.invalid(field + ".line", "Line " + no + " is named twice");
            }
            InvoiceLine line = invoice.lines().get(no - 1);
            if (!InvoiceCredits.creditable(line)) {
                throw AccrueException.invalid(field + ".line", "Line " + no + " (" + line.kind() + ", " + line.amount().toPlainMinorString()
                        + ") sold nothing and cannot be credited");
            }
            Money onLine = left.remainingOnLine(no);
            Money credited = r.amount() == null ? onLine : money(field + ".amount", r.amount(), invoice);
            if (!credited.isPositive()) {
                throw CreditLimits.nothingLeft(field + ".line", "line " + no + " of invoice " + invoice.number());
            }
            CreditLimits.requireWithin(field + ".amount", credited, onLine, "line " + no + " of invoice " + invoice.number());
            out.add(new CreditNote.Line(no, "Credit of line " + no + ": " + line.description(), credited));
        }
        return out;
    }

    /** A requested amount: more than zero, in whole minor units of the invoice's currency. */
    private static Money money(String field, BigDecimal amount, Invoice invoice) {
        Money m = new Money(amount, invoice.total().currency());
        if (!m.isPositive()) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, field, "A credited amount must be more than 0, got " + amount.toPlainString());
        }
        if (m.amount().scale() > m.minorUnitDigits()) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, field, "A credited amount is in whole minor units of "
                    + invoice.total().currency().getCurrencyCode() + ", got " + amount.toPlainString());
        }
        return m;
    }
}

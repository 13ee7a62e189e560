package dev.accrue.app.payment;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.credit.CreditEntry;
import dev.accrue.app.credit.CreditRepository;
import dev.accrue.app.creditnote.CreditNote;
import dev.accrue.app.creditnote.CreditNoteRepository;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.GatewayRefund;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Payments as the operator sees them: reading them, recording a payment received outside the gateway (a bank
 * transfer: amount, date, method, reference — partial payments and over-payments included, see
 * {@link PaymentApplication}), and refunds, full or partial, never above what the payment has left, optionally
 * resolving a credit note as a refund (the credit it granted is taken back from the customer's balance).
 */
public final class PaymentService {
    public static final Set<String> MANUAL_METHODS = Set.of("bank_transfer", "check", "cash", "other");
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    private final Transactions tx;
    private final PaymentRepository payments;
    private final PaymentMethodRepository methods;
    private final CustomerRepository customers;
    private final CreditNoteRepository creditNotes;
    private final CreditRepository credits;
    private final PaymentGateway gateway;
    private final PaymentApplication application;
    private final AuditLog audit;
    private final DomainEvents events;
    private final CustomerTime time;
    private final TakeBacks takeBacks;
    private final DisputeRepository disputes;
    private final CollectionRunner collections;

    public PaymentService(Transactions tx, PaymentRepository payments, PaymentMethodRepository methods, CustomerRepository customers, CreditNoteRepository creditNotes, CreditRepository credits,
                          PaymentGateway gateway, PaymentApplication application, AuditLog audit, DomainEvents events, CustomerTime time, TakeBacks takeBacks,
                          DisputeRepository disputes, CollectionRunner collections) {
        this.tx = tx;
        this.payments = payments;
        this.methods = methods;
        this.customers = customers;
        this.creditNotes = creditNotes;
        this.credits = credits;
        this.gateway = gateway;
        this.application = application;
        this.audit = audit;
        this.events = events;
        this.time = time;
        this.takeBacks = takeBacks;
        this.disputes = disputes;
        this.collections = collections;
    }

    public record ManualPayment(BigDecimal amount, String currency, LocalDate receivedOn, String method, String reference) {
    }

    public record RefundRequest(BigDecimal amount, String reason, String creditNoteId) {
    }

    /** An operator's decision on an attempt marked for review: {@code outcome} succeeded (with the gateway's {@code reference}) or failed (with a {@code reason}). */
    public record Resolution(String outcome, String reference, String reason) {
        public static final String SUCCEEDED = "succeeded";
        public static final String FAILED = "failed";
    }

    /** The failure code a payment resolved as failed by an operator carries (its message is the operator's reason). */
    public static final String RESOLVED_FAILED = "resolved_failed";

    public Payment get(Caller caller, String id) {
        return tx.inTransaction(() -> payments.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("payment", id));
    }

    public Page<Payment> list(Caller caller, String customerId, String invoiceId, PageRequest page) {
        return tx.inTransaction(() -> Page.fromOverfetch(payments.list(caller.tenantId(), customerId, invoiceId, page), page.limit()));
    }

    /**
     * The customer's invoices still being collected (not paid, not closed): the dunning state the portal's failed-payment
     * banner and the console show; {@code lastFailure} is the gateway's last refusal.
     */
    public List<Collection> openCollections(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            // read only: the page must not hold the rows the collection runner locks
            return payments.openUnlocked(caller.tenantId(), customerId);
        });
    }

    public List<Refund> refunds(Caller caller, String paymentId) {
        return tx.inTransaction(() -> {
            get(caller, paymentId);
            return payments.refunds(caller.tenantId(), paymentId);
        });
    }

    /** Records money received for the invoice outside the gateway; what exceeds the amount due becomes customer credit. */
    public Payment recordManual(Caller caller, String invoiceId, ManualPayment request) {
        caller.requireWrite();
        if (request.amount() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "amount", "amount is required");
        }
        if (request.method() != null && !MANUAL_METHODS.contains(request.method())) {
            throw AccrueException.invalid("method", "method is one of " + List.copyOf(MANUAL_METHODS.stream().sorted().toList()));
        }
        if (request.reference() != null && (request.reference().isBlank() || request.reference().length() > 100)) {
            throw AccrueException.invalid("reference", "reference must be 1-100 characters");
        }
        return tx.inTransaction(() -> {
            String customerId = payments.collectionCustomer(caller.tenantId(), invoiceId).orElseThrow(() -> AccrueException.notFound("invoice", invoiceId));
            methods.lockCustomer(caller.tenantId(), customerId); // as collection does: the customer first, then the invoice
            PaymentRepository.InvoiceAmounts invoice = payments.lockInvoice(caller.tenantId(), invoiceId)
                    .orElseThrow(() -> AccrueException.notFound("invoice", invoiceId));
            if (!invoice.status().equals("finalized")) {
                throw new AccrueException(ErrorCode.INVOICE_NOT_OPEN, "invoice_id", "Invoice " + invoiceId + " is " + invoice.status()
                        + "; payments are recorded on finalized invoices that still owe something");
            }
            Customer customer = customers.find(caller.tenantId(), invoice.customerId()).orElseThrow();
            Money amount = amount("amount", request.amount(), request.currency(), invoice.total().currency().getCurrencyCode());
            LocalDate today = time.today(caller.tenantId(), customer);
            LocalDate received = request.receivedOn() == null ? today : request.receivedOn();
            if (received.isAfter(today)) {
                throw AccrueException.invalid("received_on", "received_on " + received + " is after today (" + today + ")");
            }
            Instant now = time.now(caller.tenantId(), customer);
            String method = request.method() == null ? "bank_transfer" : request.method();
            Payment p = new Payment(Ids.next("pay"), customer.id(), invoiceId, Payment.INVOICE, Payment.MANUAL, null, null, null, method, null, null, null,
                    amount, null, null, null, Payment.SUCCEEDED, null, null, null, false, request.reference() == null ? null : request.reference().strip(),
                    received, null, now, now);
            payments.insert(caller.tenantId(), p);
            return application.apply(caller.tenantId(), customer, p, caller);
        });
    }

    /**
     * An operator settles an attempt whose outcome the gateway could not tell (docs/payments.md#unknown-outcomes), having
     * checked the gateway's dashboard: succeeded with the charge's reference, or failed with a reason. It goes through
     * the one settle path ({@link CollectionRunner#settleLearned}, the code a gateway event goes through), so a success
     * pays the invoice (receipt, reinstatement) and a failure leaves the collection due now (the next method, then
     * dunning). Only a pending attempt marked for review: anything else is {@code payment_not_awaiting_review}, nothing
     * changed. Checked under the customer's lock (as collection and webhooks take it), so a late gateway event and an
     * operator cannot both settle it.
     */
    public Payment resolve(Caller caller, String paymentId, Resolution request) {
        caller.requireWrite();
        if (request.outcome() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "outcome", "outcome is required: succeeded or failed");
        }
        if (!Set.of(Resolution.SUCCEEDED, Resolution.FAILED).contains(request.outcome())) {
            throw AccrueException.invalid("outcome", "outcome is succeeded or failed");
        }
        boolean succeeded = request.outcome().equals(Resolution.SUCCEEDED);
        String field = succeeded ? "reference" : "reason";
        String text = succeeded ? request.reference() : request.reason();
        int max = succeeded ? 255 : 500;
        if (text == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, field, succeeded ? "reference (the gateway's id of the charge) is required to resolve as succeeded"
                    : "reason is required to resolve as failed");
        }
        if (text.isBlank() || text.length() > max) {
            throw AccrueException.invalid(field, field + " must be 1-" + max + " characters");
        }
        String given = text.strip();
        return tx.inTransaction(() -> {
            Payment seen = payments.find(caller.tenantId(), paymentId).orElseThrow(() -> AccrueException.notFound("payment", paymentId));
            methods.lockCustomer(caller.tenantId(), seen.customerId()); // the customer first, as collection and webhooks do
            Payment p = payments.findForUpdate(caller.tenantId(), paymentId).orElseThrow();
            if (!p.needsReview()) {
                throw new AccrueException(ErrorCode.PAYMENT_NOT_AWAITING_REVIEW, "payment_id", "Payment " + paymentId + " is " + p.status()
                        + (p.reviewReason() == null ? " and was never marked for review" : ", settled already")
                        + "; only a pending attempt marked needs_review is resolved by hand", Map.of("payment_status", p.status()));
            }
            if (succeeded) {
                payments.findByGatewayReference(p.gateway(), given).filter(k -> !k.paymentId().equals(p.id())).ifPresent(k -> {
                    throw AccrueException.invalid("reference", "Gateway reference " + given + " belongs to another payment already");
                });
            }
            GatewayOutcome outcome = succeeded ? new GatewayOutcome.Approved(given) : new GatewayOutcome.Declined(RESOLVED_FAILED, null, given, false);
            collections.settleLearned(caller.tenantId(), p, outcome);
            Payment done = payments.find(caller.tenantId(), paymentId).orElseThrow();
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("status", p.status());
            before.put("review_reason", p.reviewReason());
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("status", done.status());
            after.put("outcome", request.outcome());
            after.put(field, given);
            audit.record(caller, "payment", p.id(), "payment.review_resolved", before, after);
            return done;
        });
    }

    /**
     * Refunds part or all of a succeeded payment. The refund row is stored (and the amount reserved on the payment)
     * before the gateway is called with the refund's id as idempotency key; a declined refund gives the amount back.
     */
    public Refund refund(Caller caller, String paymentId, RefundRequest request) {
        caller.requireWrite();
        if (request.reason() != null && request.reason().length() > 500) {
            throw AccrueException.invalid("reason", "reason is at most 500 characters");
        }
        Refund pending = tx.inTransaction(() -> {
            Payment p = payments.findForUpdate(caller.tenantId(), paymentId).orElseThrow(() -> AccrueException.notFound("payment", paymentId));
            if (!p.status().equals(Payment.SUCCEEDED)) {
                throw new AccrueException(ErrorCode.REFUND_EXCEEDS_PAID, "payment_id", "Payment " + paymentId + " is " + p.status() + "; nothing was paid to refund",
                        Map.of("refundable", "0"));
            }
            String currency = p.amount().currency().getCurrencyCode();
            // a disputed amount is the bank's to give back (open or lost): refunding it too would pay the payer twice
            Money left = p.amount().minus(p.refunded()).minus(Money.of(disputes.held(caller.tenantId(), p.id()), currency));
            if (left.isNegative()) {
                left = Money.zero(currency);
            }
            CreditNote note = null;
            if (request.creditNoteId() != null) {
                note = creditNotes.find(caller.tenantId(), request.creditNoteId()).orElseThrow(() -> AccrueException.notFound("credit_note", request.creditNoteId()));
                if (p.invoiceId() == null || !p.invoiceId().equals(note.invoiceId())) {
                    throw AccrueException.invalid("credit_note_id", "Credit note " + note.number() + " corrects another invoice than this payment paid");
                }
                if (!note.resolution().equals(CreditNote.RESOLUTION_CREDIT)) {
                    throw AccrueException.invalid("credit_note_id", "Credit note " + note.number() + " was refunded already");
                }
            }
            Money amount = request.amount() == null ? (note != null && note.total().compareTo(left) < 0 ? note.total() : left)
                    : amount("amount", request.amount(), null, currency);
            if (amount.compareTo(left) > 0 || !amount.isPositive()) { // nothing left: a refund of "all that is left" is refused too
                throw new AccrueException(ErrorCode.REFUND_EXCEEDS_PAID, "amount", "At most " + left.toPlainMinorString() + " " + currency
                        + " of payment " + paymentId + " can still be refunded", Map.of("refundable", left.toPlainMinorString()));
            }
            Customer customer = customers.find(caller.tenantId(), p.customerId()).orElseThrow();
            Refund r = new Refund(Ids.next("re"), p.id(), p.customerId(), p.invoiceId(), note == null ? null : note.id(), amount,
                    request.reason() == null ? null : request.reason().strip(), Payment.PENDING, null, null, time.now(caller.tenantId(), customer), null);
            if (note != null) {
                if (amount.compareTo(note.total()) > 0) {
                    throw new AccrueException(ErrorCode.REFUND_EXCEEDS_PAID, "amount", "Credit note " + note.number() + " is for " + note.total().toPlainMinorString()
                            + " " + currency, Map.of("refundable", note.total().toPlainMinorString()));
                }
                // the credit note's money goes back to the card instead of staying as credit: take the credit back out
                credits.lock(caller.tenantId(), customer.id());
                Money balance = credits.entries(caller.tenantId(), customer.id()).stream().map(CreditEntry::amount).reduce(Money.zero(currency), Money::plus);
                if (balance.compareTo(amount) < 0) {
                    throw new AccrueException(ErrorCode.REFUND_EXCEEDS_PAID, "credit_note_id", "The customer has already used the credit of " + note.number()
                            + "; " + balance.toPlainMinorString() + " " + currency + " of credit is left", Map.of("refundable", balance.toPlainMinorString()));
                }
                credits.append(caller.tenantId(), new CreditEntry(Ids.next("ccr"), customer.id(), amount.negate(), CreditEntry.APPLIED, r.id(),
                        "Refunded to the payment method: credit note " + note.number(), time.systemNow()));
                payments.resolveCreditNoteAsRefund(caller.tenantId(), note.id());
            }
            payments.insertRefund(caller.tenantId(), r);
            payments.addRefunded(caller.tenantId(), p.id(), amount.amount());
            return r;
        });
        Payment p = get(caller, paymentId);
        GatewayOutcome outcome = p.source().equals(Payment.MANUAL) || p.gatewayReference() == null
                ? new GatewayOutcome.Approved(null) // money received outside the gateway goes back outside it: the refund is recorded
                : gateway.refund(new GatewayRefund(p.gatewayReference(), pending.amount(), pending.reason(), pending.id()));
        return tx.inTransaction(() -> {
            Customer customer = customers.find(caller.tenantId(), p.customerId()).orElseThrow();
            Instant at = time.systemNow();
            if (outcome instanceof GatewayOutcome.Approved approved) {
                methods.lockCustomer(caller.tenantId(), customer.id()); // the customer first, then the invoice, as collection does
                payments.settleRefund(caller.tenantId(), pending.id(), Payment.SUCCEEDED, approved.reference(), null, at);
                takeBacks.refunded(caller.tenantId(), payments.find(caller.tenantId(), p.id()).orElseThrow(), pending);
                Refund done = payments.findRefund(caller.tenantId(), pending.id()).orElseThrow();
                Map<String, Object> facts = snapshot(done);
                audit.record(caller, "payment", p.id(), "payment.refunded", null, facts);
                events.record(caller.tenantId(), new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_REFUNDED, "payment", p.id(), customer.id(), facts,
                        time.now(caller.tenantId(), customer)));
                return done;
            }
            String message = outcome instanceof GatewayOutcome.Declined d ? d.message() : ((GatewayOutcome.Unreachable) outcome).message();
            payments.settleRefund(caller.tenantId(), pending.id(), Payment.FAILED, null, message, at);
            payments.addRefunded(caller.tenantId(), p.id(), pending.amount().amount().negate());
            if (pending.creditNoteId() != null) {
                credits.append(caller.tenantId(), new CreditEntry(Ids.next("ccr"), customer.id(), pending.amount(), CreditEntry.GRANTED, pending.id(),
                        "Refund failed; credit restored", at));
            }
            audit.record(caller, "payment", p.id(), "payment.refund_failed", null, Map.of("refund_id", pending.id(), "message", message));
            return payments.findRefund(caller.tenantId(), pending.id()).orElseThrow();
        });
    }

    /**
     * A refund made at the gateway itself (Stripe's dashboard), learned from its event: {@code refundedTotal} is all
     * the gateway has refunded on the charge. What exceeds what Accrue already counts on the payment (its own
     * refunds reserve their amount before the gateway is called, so they never count twice) is recorded as a
     * succeeded refund; nothing when the total is already known. Joins the caller's transaction.
     */
    public void recordGatewayRefund(String tenantId, String paymentId, Money refundedTotal, String gatewayReference) {
        tx.run(() -> {
            Payment p = payments.findForUpdate(tenantId, paymentId).orElseThrow();
            if (!p.status().equals(Payment.SUCCEEDED) || !refundedTotal.currency().equals(p.amount().currency())) {
                return;
            }
            Money total = refundedTotal.compareTo(p.amount()) > 0 ? p.amount() : refundedTotal;
            Money extra = total.minus(p.refunded());
            if (!extra.isPositive()) {
                return;
            }
            Customer customer = customers.find(tenantId, p.customerId()).orElseThrow();
            Instant at = time.systemNow();
            Refund r = new Refund(Ids.next("re"), p.id(), p.customerId(), p.invoiceId(), null, extra, "refunded at the gateway", Payment.PENDING, null, null,
                    time.now(tenantId, customer), null);
            payments.insertRefund(tenantId, r);
            payments.addRefunded(tenantId, p.id(), extra.amount());
            payments.settleRefund(tenantId, r.id(), Payment.SUCCEEDED, gatewayReference, null, at);
            takeBacks.refunded(tenantId, p, r);
            Map<String, Object> facts = snapshot(payments.findRefund(tenantId, r.id()).orElseThrow());
            audit.record(Caller.system(tenantId), "payment", p.id(), "payment.refunded", null, facts);
            events.record(tenantId, new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_REFUNDED, "payment", p.id(), customer.id(), facts,
                    time.now(tenantId, customer)));
        });
    }

    private static Money amount(String field, BigDecimal value, String currency, String expected) {
        if (currency != null && !currency.equalsIgnoreCase(expected)) {
            throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "currency", "The invoice is in " + expected + ", not " + currency);
        }
        Money money = Money.of(value, expected);
        if (value.signum() <= 0 || value.compareTo(MAX_AMOUNT) > 0 || value.stripTrailingZeros().scale() > money.minorUnitDigits()) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, field, field + " must be more than 0, at most " + MAX_AMOUNT.toPlainString() + " and in whole minor units of "
                    + expected);
        }
        return money;
    }

    static Map<String, Object> snapshot(Refund r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("refund_id", r.id());
        out.put("payment_id", r.paymentId());
        out.put("amount", r.amount().toPlainMinorString());
        out.put("currency", r.amount().currency().getCurrencyCode());
        out.put("status", r.status());
        if (r.creditNoteId() != null) {
            out.put("credit_note_id", r.creditNoteId());
        }
        if (r.invoiceId() != null) {
            out.put("invoice_id", r.invoiceId());
        }
        if (r.invoiceAmount() != null) {
            out.put("invoice_amount", r.invoiceAmount().toPlainMinorString());
        }
        return out;
    }
}

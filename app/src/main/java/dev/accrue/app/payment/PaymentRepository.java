package dev.accrue.app.payment;

import dev.accrue.app.page.PageRequest;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public interface PaymentRepository {
    // ---- payments ----
    /** Inserts the payment; false (nothing written) when its attempt key was taken already. */
    boolean insert(String tenantId, Payment payment);

    Optional<Payment> find(String tenantId, String id);

    /**
     * Inserts pending automatic attempts (no reference, received date or settlement yet) in one statement; returns
     * the ids written — an attempt whose key was taken already (another node stored that very try) is left out.
     */
    Set<String> insertAttempts(String tenantId, List<Payment> attempts);

    /** {@link #findForUpdate} for several payments of one tenant: id → payment, rows locked in id order. */
    Map<String, Payment> findAllForUpdate(String tenantId, List<String> ids);

    /**
     * The batch form of {@link #settle} as succeeded followed by {@link #recordApplication} with nothing credited:
     * each payment still pending becomes succeeded with its gateway reference and what it applied to its invoice.
     */
    void succeedAll(String tenantId, List<Succeeded> payments, Instant at);

    record Succeeded(String paymentId, String gatewayReference, BigDecimal applied) {
    }

    Optional<Payment> findForUpdate(String tenantId, String id);

    Optional<Payment> findByAttemptKey(String tenantId, String attemptKey);

    void settle(String tenantId, String id, String status, String gatewayReference, String failureCode, String failureMessage, boolean hard, Instant at);

    /** Marks a pending attempt as needing an operator's review (its outcome could not be learned); it stays pending. */
    void markForReview(String tenantId, String id, String reason, Instant at);

    /**
     * Pending charges {@code gateway} accepted as processing (a gateway reference, no outcome) at least {@code after} ago
     * by their customer's clock (a test clock's frozen time, else {@code now}), and not asked about within
     * {@code after}: claimed with SKIP LOCKED and stamped as asked now, so nodes polling at once ask once.
     */
    List<PaymentKey> claimProcessing(String gateway, Instant now, Duration after, int limit);

    /** Keeps the gateway's reference of a charge it accepted but has not settled (a bank debit processing); the payment stays pending. */
    void markProcessing(String tenantId, String id, String gatewayReference);

    /** The payment a gateway's charge reference belongs to, whichever tenant's (gateway references are unique at the gateway). */
    Optional<PaymentKey> findByGatewayReference(String gateway, String gatewayReference);

    record PaymentKey(String tenantId, String paymentId) {
    }

    /**
     * Records a gateway event as received; false (nothing written) when that event id was recorded already — by an
     * earlier delivery, or a concurrent one still running (this waits for it on the unique key).
     */
    boolean recordGatewayEvent(String gateway, String eventId, String type, String tenantId, String paymentId, String result, Instant at);

    void recordApplication(String tenantId, String id, BigDecimal applied, BigDecimal credited, String receiptNumber);

    void addRefunded(String tenantId, String id, BigDecimal delta);

    /** Newest first, narrowed to a customer and/or an invoice when given; {@code limit + 1} rows. */
    List<Payment> list(String tenantId, String customerId, String invoiceId, PageRequest page);

    /** Automatic attempts on the collection's invoice in its current cycle and round ({@link Collection#attemptPrefix}). */
    List<Payment> attempts(String tenantId, Collection collection);

    long nextReceiptNumber(String tenantId);

    /** Moves the tenant's receipt counter by {@code count} and returns the last number taken (the row stays locked until commit). */
    long nextReceiptNumbers(String tenantId, int count);

    void recordReceiptNumber(String tenantId, String id, String receiptNumber);

    /** {@link #recordReceiptNumber} for several payments of one tenant in one statement: payment id → receipt number. */
    void recordReceiptNumbers(String tenantId, Map<String, String> numbers);

    // ---- refunds ----
    void insertRefund(String tenantId, Refund refund);

    Optional<Refund> findRefund(String tenantId, String id);

    void settleRefund(String tenantId, String id, String status, String gatewayReference, String failureMessage, Instant at);

    List<Refund> refunds(String tenantId, String paymentId);

    /** Marks the credit note as resolved by a refund rather than credit. */
    void resolveCreditNoteAsRefund(String tenantId, String creditNoteId);

    // ---- the invoice's money ----
    /** The invoice's status, total and what was paid on it, its row locked until the transaction ends. */
    Optional<InvoiceAmounts> lockInvoice(String tenantId, String invoiceId);

    void addPaid(String tenantId, String invoiceId, BigDecimal amount);

    /** {@link #lockInvoice} for several invoices of one tenant: invoice id → amounts, rows locked in id order. */
    Map<String, InvoiceAmounts> lockInvoices(String tenantId, List<String> invoiceIds);

    /**
     * The batch form of {@link #addPaid}, and for an invoice paid in full also of the invoice's settlement as paid
     * (status {@code paid}, paid at, the payment's printed reference) — the same columns the single forms write, for
     * finalized invoices only.
     */
    void payInvoices(String tenantId, List<InvoicePayment> paid);

    record InvoicePayment(String invoiceId, BigDecimal applied, boolean inFull, Instant paidAt, String reference) {
    }

    /** The customer an invoice of the tenant bills (no lock). */
    Optional<String> collectionCustomer(String tenantId, String invoiceId);

    record InvoiceAmounts(String invoiceId, String customerId, String number, String status, Money total, Money paid) {
        public Money due() {
            Money d = total.minus(paid);
            return d.isNegative() ? Money.zero(total.currency()) : d;
        }
    }

    // ---- collections ----
    /**
     * Collections due by their customer's clock (a test clock's frozen time, else {@code now}) and not held by a
     * live attempt (in flight since before {@code staleBefore} means its node died), claimed with SKIP LOCKED: each
     * gets {@code in_flight_since = now}, so other nodes leave it alone while this one works on it.
     */
    List<Collection> claimDue(Instant now, Instant staleBefore, int limit, String testClockTenant, String testClockId);

    Optional<Collection> lockCollection(String tenantId, String invoiceId);

    /** {@link #lockCollection} for several invoices of one tenant: invoice id → collection, rows locked in invoice order. */
    Map<String, Collection> lockCollections(String tenantId, List<String> invoiceIds);

    /** {@link #attempts} for several collections of one tenant, each in its own cycle and round: invoice id → attempts in id order. */
    Map<String, List<Payment>> attemptsOf(String tenantId, List<Collection> collections);

    /** {@link #update} for several collections of one tenant in one statement, except their hard declines (left as they are). */
    void updateAll(String tenantId, List<Collection> collections, Instant at);

    /** The customers among these who have a suspension for non-payment (whose reinstatement a payment must consider). */
    Set<String> suspendedAmong(String tenantId, List<String> customerIds);

    /**
     * The accounts other than {@code payerId} whose service the invoice pays for (account hierarchies): the child whose
     * own invoice it is, or the children with a section on a consolidated invoice.
     */
    List<String> dependentAccounts(String tenantId, String invoiceId, String payerId);

    /** The collection as it is (no lock): to learn its customer, whose lock comes first. */
    Optional<Collection> collection(String tenantId, String invoiceId);

    void update(String tenantId, Collection collection, Instant at);

    /**
     * A paid invoice owed again (a lost dispute took its money back): back to {@code finalized}, its paid date and printed
     * reference cleared, so every rule about open invoices (collection, manual payments, dunning) applies to it again.
     * False when it was not paid.
     */
    boolean reopenInvoice(String tenantId, String invoiceId);

    /**
     * Starts collecting the invoice over, in a new cycle (inserted in cycle 1 when the invoice had no collection): round 0,
     * {@code stage} due at {@code next}, nothing in flight. Returns the new cycle.
     */
    int recollect(String tenantId, String invoiceId, String customerId, String stage, Instant next, List<String> hardDeclined, Instant at);

    /** The customer's collections not yet paid or closed. */
    List<Collection> open(String tenantId, String customerId);

    /** The same collections read without locking them: for pages that only show the dunning state. */
    List<Collection> openUnlocked(String tenantId, String customerId);

    // ---- suspensions for non-payment ----
    Optional<Suspension> suspension(String tenantId, String customerId);

    void saveSuspension(String tenantId, Suspension suspension);

    void deleteSuspension(String tenantId, String customerId);

    /** What dunning suspended: subscriptions, and numbers as "sub_…/num_…". */
    record Suspension(String customerId, Instant suspendedAt, List<String> subscriptionIds, List<String> numbers) {
    }

    // ---- wallet auto-recharge ----
    /** Prepaid wallets asking for a recharge that no payment tried yet, locked with SKIP LOCKED. */
    List<RechargeDue> claimRecharges(int limit, String testClockTenant, String testClockId);

    record RechargeDue(String tenantId, String customerId, Instant requestedAt, BigDecimal amount) {
        public String attemptKey() {
            // epoch microseconds, as PostgreSQL keeps the instant (the claim query builds the same key)
            return "recharge:" + customerId + ":" + (requestedAt.getEpochSecond() * 1_000_000 + requestedAt.getNano() / 1_000);
        }
    }

    // ---- money taken back off an invoice (refunds, disputes: TakeBacks) ----
    /** Lowers the invoice's amount_paid by {@code paid}, counting {@code refunded} as refunded and {@code disputed} as disputed (negative: restored). */
    void takeOffInvoice(String tenantId, String invoiceId, BigDecimal paid, BigDecimal refunded, BigDecimal disputed);

    /** What the payment's succeeded refunds took off its invoice so far. */
    BigDecimal refundedOffInvoice(String tenantId, String paymentId);

    void recordRefundInvoiceAmount(String tenantId, String refundId, BigDecimal amount);
}

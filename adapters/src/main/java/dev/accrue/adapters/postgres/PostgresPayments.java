package dev.accrue.adapters.postgres;

import dev.accrue.app.document.PaymentReceiptFacts;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.payment.Collection;
import dev.accrue.app.payment.Payment;
import dev.accrue.app.payment.PaymentRepository;
import dev.accrue.app.payment.Refund;
import dev.accrue.core.money.Money;
import org.jdbi.v3.core.mapper.RowMapper;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public final class PostgresPayments implements PaymentRepository, PaymentReceiptFacts {
    private static final RowMapper<Payment> PAYMENT = (rs, ctx) -> {
        String c = rs.getString("currency");
        return new Payment(rs.getString("id"), rs.getString("customer_id"), rs.getString("invoice_id"), rs.getString("purpose"), rs.getString("source"),
                rs.getString("attempt_key"), (Integer) rs.getObject("round"), rs.getString("method_id"), rs.getString("method_kind"), rs.getString("brand"),
                rs.getString("last4"), rs.getString("gateway"), money(rs, "amount", c), money(rs, "applied", c), money(rs, "credited", c),
                money(rs, "refunded", c), rs.getString("status"), rs.getString("gateway_reference"), rs.getString("failure_code"),
                rs.getString("failure_message"), rs.getBoolean("hard_decline"), rs.getString("reference"), rs.getObject("received_on", LocalDate.class),
                rs.getString("receipt_number"), Rows.instant(rs, "created_at"), Rows.instant(rs, "settled_at"), rs.getString("review_reason"));
    };
    private static final RowMapper<Refund> REFUND = (rs, ctx) -> new Refund(rs.getString("id"), rs.getString("payment_id"), rs.getString("customer_id"),
            rs.getString("invoice_id"), rs.getString("credit_note_id"), money(rs, "amount", rs.getString("currency")), rs.getString("reason"),
            rs.getString("status"), rs.getString("gateway_reference"), rs.getString("failure_message"), Rows.instant(rs, "created_at"),
            Rows.instant(rs, "settled_at"), "succeeded".equals(rs.getString("status")) ? money(rs, "invoice_amount", rs.getString("currency")) : null);
    private static final RowMapper<Collection> COLLECTION = (rs, ctx) -> new Collection(rs.getString("tenant_id"), rs.getString("invoice_id"),
            rs.getString("customer_id"), rs.getString("stage"), rs.getInt("round"), Rows.instant(rs, "first_failed_at"), Rows.instant(rs, "next_attempt_at"),
            Arrays.asList((String[]) rs.getArray("hard_declined").getArray()), rs.getString("in_flight_payment_id"), Rows.instant(rs, "in_flight_since"),
            rs.getString("last_failure"), rs.getInt("cycle"));
    private static final RowMapper<InvoiceAmounts> INVOICE_AMOUNTS = (rs, ctx) -> new InvoiceAmounts(rs.getString("id"), rs.getString("customer_id"),
            rs.getString("number"), rs.getString("status"), Money.of(rs.getBigDecimal("total").stripTrailingZeros(), rs.getString("currency")),
            Money.of(rs.getBigDecimal("amount_paid").stripTrailingZeros(), rs.getString("currency")));
    private final JdbiTransactions tx;

    public PostgresPayments(JdbiTransactions tx) {
        this.tx = tx;
    }

    private static Money money(ResultSet rs, String column, String currency) throws SQLException {
        BigDecimal v = rs.getBigDecimal(column);
        return v == null ? null : Money.of(v.stripTrailingZeros(), currency);
    }

    // ---- payments ----

    @Override
    public boolean insert(String tenantId, Payment p) {
        return tx.handle().createUpdate("""
                        INSERT INTO payments (tenant_id, id, customer_id, invoice_id, purpose, source, attempt_key, round, method_id, method_kind, brand, last4,
                            gateway, currency, amount, status, reference, received_on, created_at, settled_at)
                        VALUES (:tenant, :id, :customer, :invoice, :purpose, :source, :key, :round, :method, :kind, :brand, :last4, :gateway, :currency,
                            :amount, :status, :reference, :received, :created, :settled)
                        ON CONFLICT (tenant_id, attempt_key) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", p.id()).bind("customer", p.customerId()).bind("invoice", p.invoiceId()).bind("purpose", p.purpose())
                .bind("source", p.source()).bind("key", p.attemptKey()).bind("round", p.round()).bind("method", p.methodId()).bind("kind", p.methodKind())
                .bind("brand", p.brand()).bind("last4", p.last4()).bind("gateway", p.gateway()).bind("currency", p.amount().currency().getCurrencyCode())
                .bind("amount", p.amount().amount()).bind("status", p.status()).bind("reference", p.reference()).bind("received", p.receivedOn())
                .bind("created", Rows.utc(p.createdAt())).bind("settled", p.settledAt() == null ? null : Rows.utc(p.settledAt())).execute() == 1;
    }

    @Override
    public Optional<Payment> find(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM payments WHERE tenant_id = :tenant AND id = :id").bind("tenant", tenantId).bind("id", id)
                .map(PAYMENT).findOne();
    }

    @Override
    public Set<String> insertAttempts(String tenantId, List<Payment> attempts) {
        if (attempts.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(tx.handle().createQuery("""
                        INSERT INTO payments (tenant_id, id, customer_id, invoice_id, purpose, source, attempt_key, round, method_id, method_kind, brand, last4,
                            gateway, currency, amount, status, created_at)
                        SELECT :tenant, v.id, v.customer, v.invoice, v.purpose, v.source, v.key, v.round, v.method, v.kind, v.brand, v.last4, v.gateway,
                            v.currency, v.amount, v.status, v.created
                        FROM unnest(CAST(:ids AS text[]), CAST(:customers AS text[]), CAST(:invoices AS text[]), CAST(:purposes AS text[]),
                                    CAST(:sources AS text[]), CAST(:keys AS text[]), CAST(:rounds AS int[]), CAST(:methods AS text[]), CAST(:kinds AS text[]),
                                    CAST(:brands AS text[]), CAST(:last4s AS text[]), CAST(:gateways AS text[]), CAST(:currencies AS text[]),
                                    CAST(:amounts AS numeric[]), CAST(:statuses AS text[]), CAST(:created AS timestamptz[]))
                             AS v(id, customer, invoice, purpose, source, key, round, method, kind, brand, last4, gateway, currency, amount, status, created)
                        ON CONFLICT (tenant_id, attempt_key) DO NOTHING
                        RETURNING id""")
                .bind("tenant", tenantId)
                .bindArray("ids", String.class, attempts.stream().map(Payment::id).toList())
                .bindArray("customers", String.class, attempts.stream().map(Payment::customerId).toList())
                .bindArray("invoices", String.class, attempts.stream().map(Payment::invoiceId).toList())
                .bindArray("purposes", String.class, attempts.stream().map(Payment::purpose).toList())
                .bindArray("sources", String.class, attempts.stream().map(Payment::source).toList())
                .bindArray("keys", String.class, attempts.stream().map(Payment::attemptKey).toList())
                .bindArray("rounds", String.class, attempts.stream().map(a -> String.valueOf(a.round())).toList())
                .bindArray("methods", String.class, attempts.stream().map(Payment::methodId).toList())
                .bindArray("kinds", String.class, attempts.stream().map(Payment::methodKind).toList())
                .bindArray("brands", String.class, attempts.stream().map(Payment::brand).toList())
                .bindArray("last4s", String.class, attempts.stream().map(Payment::last4).toList())
                .bindArray("gateways", String.class, attempts.stream().map(Payment::gateway).toList())
                .bindArray("currencies", String.class, attempts.stream().map(a -> a.amount().currency().getCurrencyCode()).toList())
                .bindArray("amounts", String.class, attempts.stream().map(a -> a.amount().amount().toPlainString()).toList())
                .bindArray("statuses", String.class, attempts.stream().map(Payment::status).toList())
                .bindArray("created", String.class, attempts.stream().map(a -> a.createdAt().toString()).toList())
                .mapTo(String.class).list());
    }

    @Override
    public Map<String, Payment> findAllForUpdate(String tenantId, List<String> ids) {
        Map<String, Payment> out = new HashMap<>();
        tx.handle().createQuery("SELECT * FROM payments WHERE tenant_id = :tenant AND id = ANY (:ids) ORDER BY id FOR UPDATE")
                .bind("tenant", tenantId).bindArray("ids", String.class, ids).map(PAYMENT).forEach(p -> out.put(p.id(), p));
        return out;
    }

    @Override
    public void succeedAll(String tenantId, List<Succeeded> succeeded, Instant at) {
        if (succeeded.isEmpty()) {
            return;
        }
        tx.handle().createUpdate("""
                        UPDATE payments p SET status = 'succeeded', gateway_reference = v.ref, failure_code = NULL, failure_message = NULL,
                            hard_decline = false, settled_at = :at, applied = v.applied, credited = 0
                        FROM unnest(CAST(:ids AS text[]), CAST(:refs AS text[]), CAST(:applied AS numeric[])) AS v(id, ref, applied)
                        WHERE p.tenant_id = :tenant AND p.id = v.id AND p.status = 'pending'""")
                .bind("tenant", tenantId).bind("at", Rows.utc(at))
                .bindArray("ids", String.class, succeeded.stream().map(Succeeded::paymentId).toList())
                .bindArray("refs", String.class, succeeded.stream().map(Succeeded::gatewayReference).toList())
                .bindArray("applied", String.class, succeeded.stream().map(x -> x.applied().toPlainString()).toList())
                .execute();
    }

    @Override
    public Optional<Payment> findForUpdate(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM payments WHERE tenant_id = :tenant AND id = :id FOR UPDATE").bind("tenant", tenantId).bind("id", id)
                .map(PAYMENT).findOne();
    }

    @Override
    public Optional<Payment> findByAttemptKey(String tenantId, String attemptKey) {
        return tx.handle().createQuery("SELECT * FROM payments WHERE tenant_id = :tenant AND attempt_key = :key").bind("tenant", tenantId)
                .bind("key", attemptKey).map(PAYMENT).findOne();
    }

    @Override
    public void settle(String tenantId, String id, String status, String gatewayReference, String failureCode, String failureMessage, boolean hard, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE payments SET status = :status, gateway_reference = :ref, failure_code = :code, failure_message = :message, hard_decline = :hard,
                            settled_at = :at
                        WHERE tenant_id = :tenant AND id = :id AND status = 'pending'""")
                .bind("status", status).bind("ref", gatewayReference).bind("code", failureCode).bind("message", failureMessage).bind("hard", hard)
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void markForReview(String tenantId, String id, String reason, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE payments SET review_reason = :reason, review_since = :at WHERE tenant_id = :tenant AND id = :id AND status = 'pending'""")
                .bind("reason", reason).bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public List<PaymentKey> claimProcessing(String gateway, Instant now, Duration after, int limit) {
        return tx.handle().createQuery("""
                        WITH due AS (
                            SELECT p.tenant_id, p.id, coalesce(tc.frozen_time, :now) AS asked_at FROM payments p
                            JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
                            LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id
                            WHERE p.status = 'pending' AND p.gateway_reference IS NOT NULL AND p.review_reason IS NULL AND p.gateway = :gateway
                              AND p.created_at <= coalesce(tc.frozen_time, :now) - make_interval(secs => :after)
                              AND (p.polled_at IS NULL OR p.polled_at <= coalesce(tc.frozen_time, :now) - make_interval(secs => :after))
                            ORDER BY p.created_at LIMIT :limit
                            FOR UPDATE OF p SKIP LOCKED)
                        UPDATE payments p SET polled_at = due.asked_at FROM due WHERE p.tenant_id = due.tenant_id AND p.id = due.id
                        RETURNING p.tenant_id, p.id""")
                .bind("gateway", gateway).bind("now", Rows.utc(now)).bind("after", (double) after.toSeconds()).bind("limit", limit)
                .map((rs, ctx) -> new PaymentKey(rs.getString("tenant_id"), rs.getString("id"))).list();
    }

    @Override
    public void markProcessing(String tenantId, String id, String gatewayReference) {
        tx.handle().createUpdate("UPDATE payments SET gateway_reference = :ref WHERE tenant_id = :tenant AND id = :id AND status = 'pending'")
                .bind("ref", gatewayReference).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public Optional<PaymentKey> findByGatewayReference(String gateway, String gatewayReference) {
        return tx.handle().createQuery("SELECT tenant_id, id FROM payments WHERE gateway = :gateway AND gateway_reference = :ref")
                .bind("gateway", gateway).bind("ref", gatewayReference)
                .map((rs, ctx) -> new PaymentKey(rs.getString("tenant_id"), rs.getString("id"))).findFirst();
    }

    @Override
    public boolean recordGatewayEvent(String gateway, String eventId, String type, String tenantId, String paymentId, String result, Instant at) {
        return tx.handle().createUpdate("""
                        INSERT INTO gateway_events (gateway, event_id, type, tenant_id, payment_id, result, received_at)
                        VALUES (:gateway, :event, :type, :tenant, :payment, :result, :at) ON CONFLICT DO NOTHING""")
                .bind("gateway", gateway).bind("event", eventId).bind("type", type).bind("tenant", tenantId).bind("payment", paymentId)
                .bind("result", result).bind("at", Rows.utc(at)).execute() == 1;
    }

    @Override
    public void recordApplication(String tenantId, String id, BigDecimal applied, BigDecimal credited, String receiptNumber) {
        tx.handle().createUpdate("UPDATE payments SET applied = :applied, credited = :credited, receipt_number = :receipt WHERE tenant_id = :tenant AND id = :id")
                .bind("applied", applied).bind("credited", credited).bind("receipt", receiptNumber).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void addRefunded(String tenantId, String id, BigDecimal delta) {
        tx.handle().createUpdate("UPDATE payments SET refunded = refunded + :delta WHERE tenant_id = :tenant AND id = :id")
                .bind("delta", delta).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public List<Payment> list(String tenantId, String customerId, String invoiceId, PageRequest page) {
        return tx.handle().createQuery("""
                        SELECT * FROM payments WHERE tenant_id = :tenant AND (:after IS NULL OR id < :after)
                          AND (:customer IS NULL OR customer_id = :customer) AND (:invoice IS NULL OR invoice_id = :invoice)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("customer", customerId).bind("invoice", invoiceId)
                .bind("limit", page.limit() + 1).map(PAYMENT).list();
    }

    @Override
    public List<Payment> attempts(String tenantId, Collection c) {
        return tx.handle().createQuery("""
                        SELECT * FROM payments WHERE tenant_id = :tenant AND invoice_id = :invoice AND source = 'automatic' AND round = :round
                          AND starts_with(attempt_key, :prefix) ORDER BY id""")
                .bind("tenant", tenantId).bind("invoice", c.invoiceId()).bind("round", c.round()).bind("prefix", c.attemptPrefix()).map(PAYMENT).list();
    }

    @Override
    public long nextReceiptNumber(String tenantId) {
        return tx.handle().createQuery("""
                        INSERT INTO document_counters (tenant_id, series, last_number) VALUES (:tenant, 'payment_receipt', 1)
                        ON CONFLICT (tenant_id, series) DO UPDATE SET last_number = document_counters.last_number + 1 RETURNING last_number""")
                .bind("tenant", tenantId).mapTo(Long.class).one();
    }

    @Override
    public long nextReceiptNumbers(String tenantId, int count) {
        return tx.handle().createQuery("""
                        INSERT INTO document_counters (tenant_id, series, last_number) VALUES (:tenant, 'payment_receipt', :count)
                        ON CONFLICT (tenant_id, series) DO UPDATE SET last_number = document_counters.last_number + :count RETURNING last_number""")
                .bind("tenant", tenantId).bind("count", count).mapTo(Long.class).one();
    }

    @Override
    public void recordReceiptNumber(String tenantId, String id, String receiptNumber) {
        tx.handle().createUpdate("UPDATE payments SET receipt_number = :receipt WHERE tenant_id = :tenant AND id = :id")
                .bind("receipt", receiptNumber).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void recordReceiptNumbers(String tenantId, Map<String, String> numbers) {
        if (numbers.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(numbers.keySet());
        tx.handle().createUpdate("""
                        UPDATE payments p SET receipt_number = v.receipt
                        FROM unnest(CAST(:ids AS text[]), CAST(:receipts AS text[])) AS v(id, receipt)
                        WHERE p.tenant_id = :tenant AND p.id = v.id""")
                .bind("tenant", tenantId).bindArray("ids", String.class, ids)
                .bindArray("receipts", String.class, ids.stream().map(numbers::get).toList()).execute();
    }

    // ---- refunds ----

    @Override
    public void insertRefund(String tenantId, Refund r) {
        tx.handle().createUpdate("""
                        INSERT INTO refunds (tenant_id, id, payment_id, customer_id, invoice_id, credit_note_id, currency, amount, reason, status, created_at)
                        VALUES (:tenant, :id, :payment, :customer, :invoice, :note, :currency, :amount, :reason, :status, :at)""")
                .bind("tenant", tenantId).bind("id", r.id()).bind("payment", r.paymentId()).bind("customer", r.customerId()).bind("invoice", r.invoiceId())
                .bind("note", r.creditNoteId()).bind("currency", r.amount().currency().getCurrencyCode()).bind("amount", r.amount().amount())
                .bind("reason", r.reason()).bind("status", r.status()).bind("at", Rows.utc(r.createdAt())).execute();
    }

    @Override
    public Optional<Refund> findRefund(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM refunds WHERE tenant_id = :tenant AND id = :id").bind("tenant", tenantId).bind("id", id)
                .map(REFUND).findOne();
    }

    @Override
    public void settleRefund(String tenantId, String id, String status, String gatewayReference, String failureMessage, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE refunds SET status = :status, gateway_reference = :ref, failure_message = :message, settled_at = :at
                        WHERE tenant_id = :tenant AND id = :id AND status = 'pending'""")
                .bind("status", status).bind("ref", gatewayReference).bind("message", failureMessage).bind("at", Rows.utc(at))
                .bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public List<Refund> refunds(String tenantId, String paymentId) {
        return tx.handle().createQuery("SELECT * FROM refunds WHERE tenant_id = :tenant AND payment_id = :payment ORDER BY id")
                .bind("tenant", tenantId).bind("payment", paymentId).map(REFUND).list();
    }

    @Override
    public void resolveCreditNoteAsRefund(String tenantId, String creditNoteId) {
        tx.handle().createUpdate("UPDATE credit_notes SET resolution = 'refund' WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", creditNoteId).execute();
    }

    // ---- the invoice's money ----

    @Override
    public Optional<InvoiceAmounts> lockInvoice(String tenantId, String invoiceId) {
        return tx.handle().createQuery("""
                        SELECT id, customer_id, number, status, currency, total, amount_paid FROM invoices
                        WHERE tenant_id = :tenant AND id = :id FOR UPDATE""")
                .bind("tenant", tenantId).bind("id", invoiceId).map(INVOICE_AMOUNTS).findOne();
    }

    @Override
    public void addPaid(String tenantId, String invoiceId, BigDecimal amount) {
        tx.handle().createUpdate("UPDATE invoices SET amount_paid = amount_paid + :amount WHERE tenant_id = :tenant AND id = :id")
                .bind("amount", amount).bind("tenant", tenantId).bind("id", invoiceId).execute();
    }

    @Override
    public Map<String, InvoiceAmounts> lockInvoices(String tenantId, List<String> invoiceIds) {
        Map<String, InvoiceAmounts> out = new HashMap<>();
        tx.handle().createQuery("""
                        SELECT id, customer_id, number, status, currency, total, amount_paid FROM invoices
                        WHERE tenant_id = :tenant AND id = ANY (:ids) ORDER BY id FOR UPDATE""")
                .bind("tenant", tenantId).bindArray("ids", String.class, invoiceIds).map(INVOICE_AMOUNTS).forEach(i -> out.put(i.invoiceId(), i));
        return out;
    }

    @Override
    public void payInvoices(String tenantId, List<InvoicePayment> paid) {
        if (paid.isEmpty()) {
            return;
        }
        tx.handle().createUpdate("""
                        UPDATE invoices i SET amount_paid = i.amount_paid + v.applied,
                            status = CASE WHEN v.in_full THEN 'paid' ELSE i.status END,
                            paid_at = CASE WHEN v.in_full THEN v.paid_at ELSE i.paid_at END,
                            payment_reference = CASE WHEN v.in_full THEN v.ref ELSE i.payment_reference END
                        FROM unnest(CAST(:ids AS text[]), CAST(:applied AS numeric[]), CAST(:full AS boolean[]), CAST(:at AS timestamptz[]),
                                    CAST(:refs AS text[])) AS v(id, applied, in_full, paid_at, ref)
                        WHERE i.tenant_id = :tenant AND i.id = v.id AND i.status = 'finalized'""")
                .bind("tenant", tenantId)
                .bindArray("ids", String.class, paid.stream().map(InvoicePayment::invoiceId).toList())
                .bindArray("applied", String.class, paid.stream().map(x -> x.applied().toPlainString()).toList())
                .bindArray("full", String.class, paid.stream().map(x -> Boolean.toString(x.inFull())).toList())
                .bindArray("at", String.class, paid.stream().map(p -> p.paidAt().toString()).toList())
                .bindArray("refs", String.class, paid.stream().map(InvoicePayment::reference).toList())
                .execute();
    }

    @Override
    public Optional<String> collectionCustomer(String tenantId, String invoiceId) {
        return tx.handle().createQuery("SELECT customer_id FROM invoices WHERE tenant_id = :tenant AND id = :id").bind("tenant", tenantId)
                .bind("id", invoiceId).mapTo(String.class).findOne();
    }

    // ---- collections ----

    @Override
    public List<Collection> claimDue(Instant now, Instant staleBefore, int limit, String testClockTenant, String testClockId) {
        List<Collection> claimed = tx.handle().createQuery("""
                        SELECT col.* FROM collections col
                        JOIN customers c ON c.tenant_id = col.tenant_id AND c.id = col.customer_id
                        LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id
                        WHERE col.next_attempt_at IS NOT NULL AND col.next_attempt_at <= coalesce(tc.frozen_time, :now)
                          AND (col.in_flight_since IS NULL OR col.in_flight_since < :stale)
                          AND (CAST(:clock AS text) IS NULL OR (col.tenant_id = :clockTenant AND c.test_clock_id = :clock))
                        ORDER BY col.next_attempt_at LIMIT :limit
                        FOR UPDATE OF col SKIP LOCKED""")
                .bind("now", Rows.utc(now)).bind("stale", Rows.utc(staleBefore)).bind("clock", testClockId).bind("clockTenant", testClockTenant)
                .bind("limit", limit).map(COLLECTION).list();
        if (!claimed.isEmpty()) {
            tx.handle().createUpdate("""
                            UPDATE collections col SET in_flight_since = :now
                            FROM unnest(CAST(:tenants AS text[]), CAST(:invoices AS text[])) AS v(tenant, invoice)
                            WHERE col.tenant_id = v.tenant AND col.invoice_id = v.invoice""")
                    .bind("now", Rows.utc(now)).bindArray("tenants", String.class, claimed.stream().map(Collection::tenantId).toList())
                    .bindArray("invoices", String.class, claimed.stream().map(Collection::invoiceId).toList()).execute();
        }
        return claimed;
    }

    @Override
    public Optional<Collection> lockCollection(String tenantId, String invoiceId) {
        return tx.handle().createQuery("SELECT * FROM collections WHERE tenant_id = :tenant AND invoice_id = :invoice FOR UPDATE")
                .bind("tenant", tenantId).bind("invoice", invoiceId).map(COLLECTION).findOne();
    }

    @Override
    public Map<String, Collection> lockCollections(String tenantId, List<String> invoiceIds) {
        Map<String, Collection> out = new HashMap<>();
        tx.handle().createQuery("SELECT * FROM collections WHERE tenant_id = :tenant AND invoice_id = ANY (:invoices) ORDER BY invoice_id FOR UPDATE")
                .bind("tenant", tenantId).bindArray("invoices", String.class, invoiceIds).map(COLLECTION).forEach(c -> out.put(c.invoiceId(), c));
        return out;
    }

    @Override
    public Map<String, List<Payment>> attemptsOf(String tenantId, List<Collection> collections) {
        Map<String, List<Payment>> out = new HashMap<>();
        tx.handle().createQuery("""
                        SELECT p.* FROM payments p
                        JOIN unnest(CAST(:invoices AS text[]), CAST(:rounds AS int[]), CAST(:prefixes AS text[])) AS v(invoice, round, prefix)
                          ON p.invoice_id = v.invoice AND p.round = v.round AND starts_with(p.attempt_key, v.prefix)
                        WHERE p.tenant_id = :tenant AND p.source = 'automatic' ORDER BY p.id""")
                .bind("tenant", tenantId).bindArray("invoices", String.class, collections.stream().map(Collection::invoiceId).toList())
                .bindArray("rounds", String.class, collections.stream().map(c -> String.valueOf(c.round())).toList())
                .bindArray("prefixes", String.class, collections.stream().map(Collection::attemptPrefix).toList())
                .map(PAYMENT).forEach(p -> out.computeIfAbsent(p.invoiceId(), k -> new ArrayList<>()).add(p));
        return out;
    }

    @Override
    public void updateAll(String tenantId, List<Collection> cs, Instant at) {
        if (cs.isEmpty()) {
            return;
        }
        tx.handle().createUpdate("""
                        UPDATE collections col SET stage = v.stage, round = v.round, first_failed_at = v.failed, next_attempt_at = v.next,
                            in_flight_payment_id = v.flight, in_flight_since = v.since, last_failure = v.failure, updated_at = :at
                        FROM unnest(CAST(:invoices AS text[]), CAST(:stages AS text[]), CAST(:rounds AS int[]), CAST(:failed AS timestamptz[]),
                                    CAST(:next AS timestamptz[]), CAST(:flights AS text[]), CAST(:since AS timestamptz[]), CAST(:failures AS text[]))
                             AS v(invoice, stage, round, failed, next, flight, since, failure)
                        WHERE col.tenant_id = :tenant AND col.invoice_id = v.invoice""")
                .bind("tenant", tenantId).bind("at", Rows.utc(at))
                .bindArray("invoices", String.class, cs.stream().map(Collection::invoiceId).toList())
                .bindArray("stages", String.class, cs.stream().map(Collection::stage).toList())
                .bindArray("rounds", String.class, cs.stream().map(c -> String.valueOf(c.round())).toList())
                .bindArray("failed", String.class, cs.stream().map(c -> text(c.firstFailedAt())).toList())
                .bindArray("next", String.class, cs.stream().map(c -> text(c.nextAttemptAt())).toList())
                .bindArray("flights", String.class, cs.stream().map(Collection::inFlightPaymentId).toList())
                .bindArray("since", String.class, cs.stream().map(c -> text(c.inFlightSince())).toList())
                .bindArray("failures", String.class, cs.stream().map(Collection::lastFailure).toList())
                .execute();
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    @Override
    public Set<String> suspendedAmong(String tenantId, List<String> customerIds) {
        return new HashSet<>(tx.handle().createQuery("SELECT customer_id FROM dunning_suspensions WHERE tenant_id = :tenant AND customer_id = ANY (:customers)")
                .bind("tenant", tenantId).bindArray("customers", String.class, customerIds).mapTo(String.class).list());
    }

    @Override
    public List<String> dependentAccounts(String tenantId, String invoiceId, String payerId) {
        return tx.handle().createQuery("""
                        SELECT customer_id FROM invoices WHERE tenant_id = :tenant AND id = :invoice AND customer_id <> :payer
                        UNION
                        SELECT customer_id FROM invoice_sections WHERE tenant_id = :tenant AND invoice_id = :invoice AND customer_id <> :payer
                        ORDER BY 1""")
                .bind("tenant", tenantId).bind("invoice", invoiceId).bind("payer", payerId).mapTo(String.class).list();
    }

    @Override
    public Optional<Collection> collection(String tenantId, String invoiceId) {
        return tx.handle().createQuery("SELECT * FROM collections WHERE tenant_id = :tenant AND invoice_id = :invoice")
                .bind("tenant", tenantId).bind("invoice", invoiceId).map(COLLECTION).findOne();
    }

    @Override
    public void update(String tenantId, Collection c, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE collections SET stage = :stage, round = :round, first_failed_at = :failed, next_attempt_at = :next, hard_declined = :hard,
                            in_flight_payment_id = :flight, in_flight_since = :since, last_failure = :failure, updated_at = :at
                        WHERE tenant_id = :tenant AND invoice_id = :invoice""")
                .bind("stage", c.stage()).bind("round", c.round()).bind("failed", c.firstFailedAt() == null ? null : Rows.utc(c.firstFailedAt()))
                .bind("next", c.nextAttemptAt() == null ? null : Rows.utc(c.nextAttemptAt())).bind("hard", c.hardDeclined().toArray(new String[0]))
                .bind("flight", c.inFlightPaymentId()).bind("since", c.inFlightSince() == null ? null : Rows.utc(c.inFlightSince()))
                .bind("failure", c.lastFailure()).bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("invoice", c.invoiceId()).execute();
    }

    @Override
    public boolean reopenInvoice(String tenantId, String invoiceId) {
        return tx.handle().createUpdate("""
                        UPDATE invoices SET status = 'finalized', paid_at = NULL, payment_reference = NULL
                        WHERE tenant_id = :tenant AND id = :invoice AND status = 'paid'""")
                .bind("tenant", tenantId).bind("invoice", invoiceId).execute() == 1;
    }

    @Override
    public int recollect(String tenantId, String invoiceId, String customerId, String stage, Instant next, List<String> hardDeclined, Instant at) {
        return tx.handle().createQuery("""
                        INSERT INTO collections (tenant_id, invoice_id, customer_id, stage, round, next_attempt_at, hard_declined, cycle, created_at, updated_at)
                        VALUES (:tenant, :invoice, :customer, :stage, 0, :next, :hard, 1, :at, :at)
                        ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET stage = EXCLUDED.stage, round = 0, first_failed_at = NULL,
                            next_attempt_at = EXCLUDED.next_attempt_at, hard_declined = EXCLUDED.hard_declined, in_flight_payment_id = NULL,
                            in_flight_since = NULL, last_failure = NULL, cycle = collections.cycle + 1, updated_at = EXCLUDED.updated_at
                        RETURNING cycle""")
                .bind("tenant", tenantId).bind("invoice", invoiceId).bind("customer", customerId).bind("stage", stage)
                .bind("next", next == null ? null : Rows.utc(next)).bind("hard", hardDeclined.toArray(new String[0])).bind("at", Rows.utc(at))
                .mapTo(Integer.class).one();
    }

    @Override
    public List<Collection> open(String tenantId, String customerId) {
        return tx.handle().createQuery("""
                        SELECT * FROM collections WHERE tenant_id = :tenant AND customer_id = :customer AND stage NOT IN ('paid', 'closed')
                        ORDER BY invoice_id FOR UPDATE""")
                .bind("tenant", tenantId).bind("customer", customerId).map(COLLECTION).list();
    }

    @Override
    public List<Collection> openUnlocked(String tenantId, String customerId) {
        return tx.handle().createQuery("""
                        SELECT * FROM collections WHERE tenant_id = :tenant AND customer_id = :customer AND stage NOT IN ('paid', 'closed')
                        ORDER BY invoice_id""")
                .bind("tenant", tenantId).bind("customer", customerId).map(COLLECTION).list();
    }

    // ---- suspensions ----

    @Override
    public Optional<Suspension> suspension(String tenantId, String customerId) {
        return tx.handle().createQuery("SELECT * FROM dunning_suspensions WHERE tenant_id = :tenant AND customer_id = :customer FOR UPDATE")
                .bind("tenant", tenantId).bind("customer", customerId)
                .map((rs, ctx) -> new Suspension(rs.getString("customer_id"), Rows.instant(rs, "suspended_at"),
                        Arrays.asList((String[]) rs.getArray("subscription_ids").getArray()), Arrays.asList((String[]) rs.getArray("numbers").getArray())))
                .findOne();
    }

    @Override
    public void saveSuspension(String tenantId, Suspension s) {
        tx.handle().createUpdate("""
                        INSERT INTO dunning_suspensions (tenant_id, customer_id, suspended_at, subscription_ids, numbers) VALUES (:tenant, :customer, :at, :subs, :numbers)
                        ON CONFLICT (tenant_id, customer_id) DO UPDATE SET subscription_ids = EXCLUDED.subscription_ids, numbers = EXCLUDED.numbers""")
                .bind("tenant", tenantId).bind("customer", s.customerId()).bind("at", Rows.utc(s.suspendedAt()))
                .bind("subs", s.subscriptionIds().toArray(new String[0])).bind("numbers", s.numbers().toArray(new String[0])).execute();
    }

    @Override
    public void deleteSuspension(String tenantId, String customerId) {
        tx.handle().createUpdate("DELETE FROM dunning_suspensions WHERE tenant_id = :tenant AND customer_id = :customer")
                .bind("tenant", tenantId).bind("customer", customerId).execute();
    }

    // ---- wallet auto-recharge ----

    @Override
    public List<RechargeDue> claimRecharges(int limit, String testClockTenant, String testClockId) {
        return tx.handle().createQuery("""
                        SELECT w.tenant_id, w.customer_id, w.recharge_requested_at, w.auto_recharge_amount FROM wallets w
                        JOIN customers c ON c.tenant_id = w.tenant_id AND c.id = w.customer_id
                        WHERE w.recharge_requested_at IS NOT NULL AND w.auto_recharge_amount IS NOT NULL
                          AND (CAST(:clock AS text) IS NULL OR (w.tenant_id = :clockTenant AND c.test_clock_id = :clock))
                          AND EXISTS (SELECT 1 FROM payment_methods m WHERE m.tenant_id = w.tenant_id AND m.customer_id = w.customer_id AND m.status = 'active')
                          AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = w.tenant_id AND p.status <> 'pending'
                                          AND p.attempt_key = 'recharge:' || w.customer_id || ':' || floor(extract(epoch FROM w.recharge_requested_at) * 1000000)::bigint)
                        LIMIT :limit FOR UPDATE OF w SKIP LOCKED""")
                .bind("clock", testClockId).bind("clockTenant", testClockTenant).bind("limit", limit)
                .map((rs, ctx) -> new RechargeDue(rs.getString("tenant_id"), rs.getString("customer_id"), Rows.instant(rs, "recharge_requested_at"),
                        rs.getBigDecimal("auto_recharge_amount").stripTrailingZeros()))
                .list();
    }

    // ---- receipts as documents ----

    @Override
    public Optional<PaymentReceiptFacts.Receipt> receipt(String tenantId, String paymentId) {
        return tx.handle().createQuery("""
                        SELECT p.*, i.number AS invoice_number FROM payments p LEFT JOIN invoices i ON i.tenant_id = p.tenant_id AND i.id = p.invoice_id
                        WHERE p.tenant_id = :tenant AND p.id = :id AND p.status = 'succeeded' AND p.receipt_number IS NOT NULL AND p.purpose = 'invoice'""")
                .bind("tenant", tenantId).bind("id", paymentId)
                .map((rs, ctx) -> {
                    Payment p = PAYMENT.map(rs, ctx);
                    return new PaymentReceiptFacts.Receipt(p.id(), p.receiptNumber(), p.customerId(), p.invoiceId(), rs.getString("invoice_number"), p.amount(),
                            p.applied(), p.credited(), p.methodLabel(), p.printedReference(), p.receivedOn(), p.settledAt(), p.refunded());
                }).findOne();
    }

    // ---- money taken back off an invoice ----

    @Override
    public void takeOffInvoice(String tenantId, String invoiceId, BigDecimal paid, BigDecimal refunded, BigDecimal disputed) {
        tx.handle().createUpdate("""
                        UPDATE invoices SET amount_paid = amount_paid - :paid, amount_refunded = amount_refunded + :refunded,
                            amount_disputed = amount_disputed + :disputed
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("paid", paid).bind("refunded", refunded).bind("disputed", disputed).bind("tenant", tenantId).bind("id", invoiceId).execute();
    }

    @Override
    public BigDecimal refundedOffInvoice(String tenantId, String paymentId) {
        return tx.handle().createQuery("""
                        SELECT coalesce(sum(invoice_amount), 0) FROM refunds WHERE tenant_id = :tenant AND payment_id = :payment AND status = 'succeeded'""")
                .bind("tenant", tenantId).bind("payment", paymentId).mapTo(BigDecimal.class).one();
    }

    @Override
    public void recordRefundInvoiceAmount(String tenantId, String refundId, BigDecimal amount) {
        tx.handle().createUpdate("UPDATE refunds SET invoice_amount = :amount WHERE tenant_id = :tenant AND id = :id")
                .bind("amount", amount).bind("tenant", tenantId).bind("id", refundId).execute();
    }
}

package dev.accrue.app.creditwallet;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.payment.PaymentMethod;
import dev.accrue.app.payment.PaymentMethodRepository;
import dev.accrue.app.payment.gateway.GatewayCharge;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.Customer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps credit wallets current outside invoices and pays their target top-ups. A run first brings the books of every
 * wallet holder up to date (recurring grants, expiries, top-up requests), then charges each pending top-up through the
 * payment gateway port, outside any transaction, with the top-up's id as idempotency key: a run that dies after the
 * charge sends the same key again, the gateway answers with its first answer and moves no money twice, and the lot is
 * credited once (its source key is the top-up's id). Runs after each test clock advance and from the scheduler.
 *
 * <p>As for payments (docs/payments.md#unknown-outcomes), a pending top-up is sent again under its key only while the
 * key is younger than the resend window (ACCRUE_GATEWAY_RESEND_WINDOW, below the 24 hours a gateway keeps keys),
 * measured by the customer's clock from the top-up's first send (V380): an older one is looked up at the gateway instead ({@link
 * PaymentGateway#lookup}, a read that cannot charge). Found, it settles from the gateway's record; not reachable, it
 * stays pending and is asked about on the next run; not found — the gateway never got it — it fails with
 * {@code outcome_unknown} and no charge, and the wallet asks for a new top-up (a new key) by its usual rule.
 */
public final class CreditWalletTopUps {
    private static final int BATCH = 200;
    /** The failure code of a top-up the gateway holds no charge for once its key was too old to resend. */
    public static final String OUTCOME_UNKNOWN = "outcome_unknown";
    private static final Logger LOG = LoggerFactory.getLogger(CreditWalletTopUps.class);
    private final Transactions tx;
    private final CreditWalletRepository wallets;
    private final CreditWalletBooks books;
    private final CustomerRepository customers;
    private final PaymentMethodRepository methods;
    private final PaymentGateway gateway;
    private final CustomerTime time;
    private final AuditLog audit;
    private final Duration resendWindow;

    /** {@code resendWindow}: how old a top-up's idempotency key may be and still be sent again under it (as for payments). */
    public CreditWalletTopUps(Transactions tx, CreditWalletRepository wallets, CreditWalletBooks books, CustomerRepository customers,
                              PaymentMethodRepository methods, PaymentGateway gateway, CustomerTime time, AuditLog audit, Duration resendWindow) {
        this.tx = tx;
        this.wallets = wallets;
        this.books = books;
        this.customers = customers;
        this.methods = methods;
        this.gateway = gateway;
        this.time = time;
        this.audit = audit;
        this.resendWindow = resendWindow;
    }

    /** Every tenant's wallets, by each customer's clock. */
    public int runDue() {
        return run(null, null);
    }

    /** The wallets of one test clock's customers, at its new time. */
    public int runForTestClock(String tenantId, String testClockId) {
        return run(tenantId, testClockId);
    }

    private int run(String clockTenant, String clockId) {
        String after = "";
        while (true) {
            String from = after;
            List<CreditWalletRepository.TenantCustomer> holders = tx.inTransaction(() -> wallets.customersWithWallets(clockTenant, clockId, BATCH, from));
            for (var h : holders) {
                tx.run(() -> {
                    Customer customer = customers.find(h.tenantId(), h.customerId()).orElseThrow();
                    wallets.lock(h.tenantId(), h.customerId());
                    Instant now = time.now(h.tenantId(), customer);
                    wallets.ofCustomer(h.tenantId(), h.customerId()).forEach(w -> books.bringUpToDate(h.tenantId(), customer, w, now));
                });
            }
            if (holders.size() < BATCH) {
                break;
            }
            after = holders.getLast().tenantId() + "/" + holders.getLast().customerId();
        }
        int charged = 0;
        for (var pending : tx.inTransaction(() -> wallets.pendingTopUps(clockTenant, clockId, BATCH))) {
            charge(pending.tenantId(), pending.topUp());
            charged++;
        }
        return charged;
    }

    private record Call(GatewayCharge charge, boolean lookUp) {
    }

    private void charge(String tenantId, CreditWalletTopUp t) {
        Call call = tx.inTransaction(() -> {
            PaymentMethod m = methods.find(tenantId, t.customerId(), t.methodId()).orElse(null);
            String gatewayCustomer = methods.gatewayCustomer(tenantId, t.customerId(), gateway.name()).orElse(null);
            if (m == null || gatewayCustomer == null) {
                return null;
            }
            Customer customer = customers.find(tenantId, t.customerId()).orElseThrow();
            // the key's age counts from its first send (committed before the call), not from the request: a top-up that
            // waited for the job was never sent, and sending it cannot charge twice
            Instant now = time.now(tenantId, customer);
            boolean keyTooOld = !wallets.markTopUpSent(tenantId, t.id(), now).plus(resendWindow).isAfter(now);
            return new Call(new GatewayCharge(m.token(), gatewayCustomer, t.amount(), "Credit wallet top-up " + t.walletId(), t.id(), tenantId), keyTooOld);
        });
        if (call == null) {
            settle(tenantId, t.id(), new GatewayOutcome.Declined("no_payment_method", null, "The payment method is gone", true));
            return;
        }
        // never sent again under a key the gateway may have forgotten (a new charge): asked what became of it instead
        settle(tenantId, t.id(), call.lookUp() ? gateway.lookup(call.charge(), null) : gateway.charge(call.charge()));
    }

    /** Records a top-up's outcome once; approved, the paid credits are added as a lot keyed by the top-up. */
    private void settle(String tenantId, String topUpId, GatewayOutcome outcome) {
        tx.run(() -> {
            // the customer's credit lock first, then the top-up's row: the order invoices take (lock, then insert a top-up)
            String customerId = wallets.findTopUp(tenantId, topUpId).orElseThrow().customerId();
            wallets.lock(tenantId, customerId);
            CreditWalletTopUp t = wallets.lockTopUp(tenantId, topUpId).orElseThrow();
            if (!CreditWalletTopUp.PENDING.equals(t.status())) {
                return;
            }
            Customer customer = customers.find(tenantId, t.customerId()).orElseThrow();
            Instant now = time.now(tenantId, customer);
            switch (outcome) {
                case GatewayOutcome.Approved approved -> {
                    wallets.append(tenantId, new CreditWalletEntry(Ids.next("cwe"), t.walletId(), t.customerId(), CreditWalletEntry.PURCHASED, null,
                            t.credits(), t.amount(), null, t.id(), "Top-up to target, paid (" + approved.reference() + ")", now, now));
                    wallets.settleTopUp(tenantId, t.id(), CreditWalletTopUp.SUCCEEDED, approved.reference(), null, now);
                    audit.record(Caller.system(tenantId), "credit_wallet", t.walletId(), "credit_wallet.topped_up", null,
                            Map.of("top_up", t.id(), "credits", t.credits().toPlainString(), "amount", t.amount().toPlainMinorString()));
                }
                case GatewayOutcome.Declined declined -> {
                    wallets.settleTopUp(tenantId, t.id(), CreditWalletTopUp.FAILED, null, declined.code(), now);
                    audit.record(Caller.system(tenantId), "credit_wallet", t.walletId(), "credit_wallet.top_up_failed", null,
                            Map.of("top_up", t.id(), "code", String.valueOf(declined.code())));
                }
                // no answer, or an answer still to come: stays pending, and the next run sends the same key again
                case GatewayOutcome.Unreachable unreachable -> {
                }
                case GatewayOutcome.Processing processing -> {
                }
                // the key is too old to resend and the gateway holds no charge for it: failed, nothing charged; the wallet's
                // rule asks for a new top-up (a new key) when it is still below its threshold
                case GatewayOutcome.NotFound notFound -> {
                    wallets.settleTopUp(tenantId, t.id(), CreditWalletTopUp.FAILED, null, OUTCOME_UNKNOWN, now);
                    audit.record(Caller.system(tenantId), "credit_wallet", t.walletId(), "credit_wallet.top_up_failed", null,
                            Map.of("top_up", t.id(), "code", OUTCOME_UNKNOWN, "message", "not sent again: its idempotency key is older than "
                                    + resendWindow + " and the gateway holds no charge for it (" + notFound.message() + ")"));
                    LOG.warn("Credit wallet top-up {} of tenant {} failed unsent: the gateway holds no charge for it", t.id(), tenantId);
                }
            }
        });
    }
}

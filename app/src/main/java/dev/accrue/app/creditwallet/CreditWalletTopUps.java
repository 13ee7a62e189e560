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

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps credit wallets current outside invoices and pays their target top-ups. A run first brings the books of every
 * wallet holder up to date (recurring grants, expiries, top-up requests), then charges each pending top-up through the
 * payment gateway port, outside any transaction, with the top-up's id as idempotency key: a run that dies after the
 * charge sends the same key again, the gateway answers with its first answer and moves no money twice, and the lot is
 * credited once (its source key is the top-up's id). Runs after each test clock advance and from the scheduler.
 */
public final class CreditWalletTopUps {
    private static final int BATCH = 200;
    private final Transactions tx;
    private final CreditWalletRepository wallets;
    private final CreditWalletBooks books;
    private final CustomerRepository customers;
    private final PaymentMethodRepository methods;
    private final PaymentGateway gateway;
    private final CustomerTime time;
    private final AuditLog audit;

    public CreditWalletTopUps(Transactions tx, CreditWalletRepository wallets, CreditWalletBooks books, CustomerRepository customers,
                              PaymentMethodRepository methods, PaymentGateway gateway, CustomerTime time, AuditLog audit) {
        this.tx = tx;
        this.wallets = wallets;
        this.books = books;
        this.customers = customers;
        this.methods = methods;
        this.gateway = gateway;
        this.time = time;
        this.audit = audit;
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

    private void charge(String tenantId, CreditWalletTopUp t) {
        GatewayCharge charge = tx.inTransaction(() -> {
            PaymentMethod m = methods.find(tenantId, t.customerId(), t.methodId()).orElse(null);
            String gatewayCustomer = methods.gatewayCustomer(tenantId, t.customerId(), gateway.name()).orElse(null);
            if (m == null || gatewayCustomer == null) {
                return null;
            }
            return new GatewayCharge(m.token(), gatewayCustomer, t.amount(), "Credit wallet top-up " + t.walletId(), t.id(), tenantId);
        });
        if (charge == null) {
            settle(tenantId, t.id(), new GatewayOutcome.Declined("no_payment_method", null, "The payment method is gone", true));
            return;
        }
        settle(tenantId, t.id(), gateway.charge(charge));
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
                // only a lookup answers NotFound, and top-ups never look up: nothing to record
                case GatewayOutcome.NotFound notFound -> {
                }
            }
        });
    }
}

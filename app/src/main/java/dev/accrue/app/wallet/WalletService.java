package dev.accrue.app.wallet;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tax.DocumentTaxes;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.AccountType;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;
import dev.accrue.core.wallet.Ledger;
import dev.accrue.core.wallet.TopUpReceipt;
import dev.accrue.core.wallet.WalletEntryKind;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prepaid wallets: one append-only ledger per customer, in the customer's currency. Every entry is written
 * under the wallet row's lock with the balance folded just before, so concurrent top-ups and debits
 * serialise and none is lost. Entry times are the customer's clock (a test clock in sandboxes), so monthly
 * statements follow simulated time too.
 */
public final class WalletService {
    private final DomainEvents events;
    /** Top-ups above this are refused as absurd (a typo of a few zeros, not a payment). */
    public static final BigDecimal MAX_TOP_UP = new BigDecimal("1000000");
    private final Transactions tx;
    private final WalletRepository wallets;
    private final CustomerRepository customers;
    private final DocumentTaxes taxes;
    private final TenantRepository tenants;
    private final EmailOutbox outbox;
    private final AuditLog audit;
    private final CustomerTime time;

    public WalletService(Transactions tx, WalletRepository wallets, CustomerRepository customers, TenantRepository tenants, EmailOutbox outbox,
                         AuditLog audit, CustomerTime time, DocumentTaxes taxes, DomainEvents events) {
        this.events = events;
        this.taxes = taxes;
        this.tx = tx;
        this.wallets = wallets;
        this.customers = customers;
        this.tenants = tenants;
        this.outbox = outbox;
        this.audit = audit;
        this.time = time;
    }

    /** The balance, the credit limit, what can still be spent, and the auto-recharge rule. */
    public record WalletView(String customerId, Money balance, Money creditLimit, Money spendable, Money rechargeThreshold, Money rechargeAmount,
                             Instant rechargeRequestedAt) {
    }

    public WalletView view(Caller caller, String customerId) {
        return tx.inTransaction(() -> view(caller.tenantId(), customer(caller.tenantId(), customerId)));
    }

    private WalletView view(String tenantId, Customer customer) {
        String currency = customer.currency().getCurrencyCode();
        var wallet = wallets.find(tenantId, customer.id());
        Money balance = Money.of(wallets.balance(tenantId, customer.id()), currency);
        Money limit = Money.of(wallet.map(Wallet::creditLimit).orElse(BigDecimal.ZERO), currency);
        return new WalletView(customer.id(), balance, limit, Ledger.spendable(balance, limit),
                wallet.map(Wallet::rechargeThreshold).map(v -> Money.of(v, currency)).orElse(null),
                wallet.map(Wallet::rechargeAmount).map(v -> Money.of(v, currency)).orElse(null),
                wallet.map(Wallet::rechargeRequestedAt).orElse(null));
    }

    /**
     * Credits the wallet (the operator recorded a payment) and issues a receipt — amount, VAT at the tenant's
     * rate, total, new balance — with its email, all in one transaction.
     */
    public Receipt topUp(Caller caller, String customerId, BigDecimal amount, String currency, String description) {
        caller.requireWrite();
        if (amount == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "amount", "amount is required");
        }
        if (amount.signum() <= 0 || amount.compareTo(MAX_TOP_UP) > 0) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, "amount", "A top-up must be more than 0 and at most " + MAX_TOP_UP.toPlainString());
        }
        return tx.inTransaction(() -> {
            Customer customer = customer(caller.tenantId(), customerId);
            String walletCurrency = customer.currency().getCurrencyCode();
            if (!prepaid(customer)) {
                throw new AccrueException(ErrorCode.NOT_PREPAID, "customer_id", "Customer " + customerId + " is postpaid: it is invoiced, it has no wallet to top up");
            }
            if (currency == null) {
                throw new AccrueException(ErrorCode.MISSING_FIELD, "currency", "currency is required");
            }
            if (!walletCurrency.equalsIgnoreCase(currency)) {
                throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "currency", "The wallet of " + customerId + " is in " + walletCurrency + ", not " + currency);
            }
            Money credit = inMinorUnits("amount", amount, customer);
            Instant now = time.now(caller.tenantId(), customer);
            wallets.lock(caller.tenantId(), customerId, customer.currency(), now);
            Money before = Money.of(wallets.balance(caller.tenantId(), customerId), walletCurrency);
            var tenant = tenants.find(caller.tenantId()).orElseThrow();
            var tax = taxes.topUp(caller.tenantId(), customer, credit, new RoundingPolicy(tenant.settings().roundingMode()));
            TopUpReceipt r = TopUpReceipt.of(credit, tax.rate(), tax.tax(), before);
            WalletEntry entry = new WalletEntry(Ids.next("wle"), customerId, WalletEntryKind.TOP_UP, credit, r.balanceAfter(), null, null, null,
                    description == null || description.isBlank() ? "Top-up" : description, now);
            wallets.append(caller.tenantId(), entry);
            String number = "RCT-%06d".formatted(wallets.nextNumber(caller.tenantId(), "receipt"));
            Receipt receipt = new Receipt(Ids.next("rct"), number, customerId, entry.id(), r.amount(), r.taxRate(), r.tax(), r.total(),
                    r.balanceAfter(), now);
            wallets.insertReceipt(caller.tenantId(), receipt);
            wallets.setRechargeRequested(caller.tenantId(), customerId, null);
            if (!customer.billingEmails().isEmpty()) {
                outbox.enqueue(caller.tenantId(), OutboundEmail.templated(Ids.next("eml"), customerId, customer.billingEmails(), "receipt", "receipt",
                        receipt.id(), time.systemNow()));
            }
            audit.record(caller, "customer", customerId, "wallet.topped_up", null,
                    Map.of("receipt", number, "amount", credit.amount().toPlainString(), "balance_after", r.balanceAfter().amount().toPlainString()));
            return receipt;
        });
    }

    /** Wallet amounts move real money: whole minor units of the wallet's currency (cents for USD, yen for JPY). */
    private static Money inMinorUnits(String field, BigDecimal amount, Customer customer) {
        if (amount == null) {
            return null;
        }
        Money money = new Money(amount, customer.currency());
        if (money.amount().scale() > money.minorUnitDigits()) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, field, field + " is in whole minor units of " + customer.currency().getCurrencyCode()
                    + " (" + money.minorUnitDigits() + " decimals), got " + amount.toPlainString());
        }
        return money;
    }

    /** Sets the credit limit and the auto-recharge rule (threshold and amount, both or neither). */
    public WalletView configure(Caller caller, String customerId, BigDecimal creditLimit, BigDecimal threshold, BigDecimal rechargeAmount,
                                boolean clearRecharge) {
        caller.requireWrite();
        if (creditLimit != null && (creditLimit.signum() < 0 || creditLimit.compareTo(MAX_TOP_UP) > 0)) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, "credit_limit", "credit_limit must be 0-" + MAX_TOP_UP.toPlainString());
        }
        if (!clearRecharge && (threshold == null) != (rechargeAmount == null)) {
            throw AccrueException.invalid("auto_recharge", "auto_recharge needs both threshold and amount");
        }
        if (threshold != null && threshold.signum() < 0) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, "auto_recharge.threshold", "threshold must be zero or more");
        }
        if (rechargeAmount != null && (rechargeAmount.signum() <= 0 || rechargeAmount.compareTo(MAX_TOP_UP) > 0)) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, "auto_recharge.amount", "amount must be more than 0 and at most " + MAX_TOP_UP.toPlainString());
        }
        return tx.inTransaction(() -> {
            Customer customer = customer(caller.tenantId(), customerId);
            inMinorUnits("credit_limit", creditLimit, customer);
            inMinorUnits("auto_recharge.threshold", threshold, customer);
            inMinorUnits("auto_recharge.amount", rechargeAmount, customer);
            Wallet w = wallets.lock(caller.tenantId(), customerId, customer.currency(), time.now(caller.tenantId(), customer));
            BigDecimal limit = creditLimit == null ? w.creditLimit() : creditLimit;
            BigDecimal t = clearRecharge ? null : threshold == null ? w.rechargeThreshold() : threshold;
            BigDecimal a = clearRecharge ? null : rechargeAmount == null ? w.rechargeAmount() : rechargeAmount;
            wallets.configure(caller.tenantId(), customerId, limit, t, a, time.systemNow());
            audit.record(caller, "customer", customerId, "wallet.configured", null, Map.of("credit_limit", limit.toPlainString(),
                    "auto_recharge", t == null ? "off" : t.toPlainString() + " -> +" + a.toPlainString()));
            WalletView v = view(caller.tenantId(), customer);
            requestRechargeIfDue(caller.tenantId(), customer, v.balance());
            return view(caller.tenantId(), customer);
        });
    }

    public Page<WalletEntry> history(Caller caller, String customerId, PageRequest page) {
        return tx.inTransaction(() -> {
            customer(caller.tenantId(), customerId);
            return Page.fromOverfetch(wallets.history(caller.tenantId(), customerId, page), page.limit());
        });
    }

    /** Receipts newest first: one customer's, or with {@code customerId} null the whole tenant's. */
    public Page<Receipt> receipts(Caller caller, String customerId, PageRequest page) {
        return tx.inTransaction(() -> {
            if (customerId != null) {
                customer(caller.tenantId(), customerId);
            }
            return Page.fromOverfetch(wallets.receipts(caller.tenantId(), customerId, page), page.limit());
        });
    }

    public Receipt receipt(Caller caller, String receiptId) {
        return tx.inTransaction(() -> wallets.receipt(caller.tenantId(), receiptId).orElseThrow(() -> AccrueException.notFound("receipt", receiptId)));
    }

    /**
     * A month of the wallet in the customer's time: opening balance, every entry, totals by kind, closing
     * balance, and what remains owed (invoices the wallet could not cover). For a prepaid customer whose
     * wallet covered everything, {@code owed} is 0.
     */
    public record Statement(String customerId, YearMonth month, Money opening, List<WalletEntry> entries, Map<String, Money> totals, Money consumption,
                            Money closing, Money owed) {
    }

    public Statement statement(Caller caller, String customerId, YearMonth month) {
        return tx.inTransaction(() -> {
            Customer customer = customer(caller.tenantId(), customerId);
            String currency = customer.currency().getCurrencyCode();
            Instant from = month.atDay(1).atStartOfDay(customer.timeZone()).toInstant();
            Instant to = month.plusMonths(1).atDay(1).atStartOfDay(customer.timeZone()).toInstant();
            Money opening = Money.of(wallets.balanceBefore(caller.tenantId(), customerId, from), currency);
            List<WalletEntry> entries = wallets.between(caller.tenantId(), customerId, from, to);
            Map<String, Money> totals = new LinkedHashMap<>();
            for (WalletEntryKind k : WalletEntryKind.values()) {
                totals.put(k.wire(), Money.zero(currency));
            }
            Money closing = opening;
            for (WalletEntry e : entries) {
                totals.merge(e.kind().wire(), e.amount(), Money::plus);
                closing = closing.plus(e.amount());
            }
            Money consumption = totals.get("usage").plus(totals.get("invoice")).negate();
            Money owed = Money.of(wallets.owedOnInvoices(caller.tenantId(), customerId, month.atDay(1), month.plusMonths(1).atDay(1)), currency);
            return new Statement(customerId, month, opening, entries, totals, consumption, closing, owed);
        });
    }

    /**
     * Emails a prepaid customer last month's statement, once: called by billing runs, so it goes out with the
     * first run of the month that touches the customer. Nothing is sent for a month without any wallet entry.
     */
    public void sendMonthlyStatement(String tenantId, Customer customer, LocalDate today) {
        if (!prepaid(customer) || customer.billingEmails().isEmpty()) {
            return;
        }
        YearMonth month = YearMonth.from(today).minusMonths(1);
        Caller system = Caller.system(tenantId);
        Statement s = statement(system, customer.id(), month);
        if (s.entries().isEmpty()) {
            return;
        }
        String emailId = Ids.next("eml");
        if (!wallets.markStatementSent(tenantId, customer.id(), month.atDay(1), emailId, time.systemNow())) {
            return;
        }
        outbox.enqueue(tenantId, OutboundEmail.templated(emailId, customer.id(), customer.billingEmails(), "statement", "wallet_statement",
                customer.id() + ":" + month, time.systemNow()));
    }

    // ---- used by billing and metering, inside their transactions ----

    /**
     * Brings what the wallet has paid for one usage window up (or down) to what {@code pricing} says the
     * window's usage costs. Called after usage is accepted, so a prepaid balance falls in real time; a
     * shortfall the wallet cannot cover is left for the invoice of the window to show as owed.
     *
     * <p>The window is priced only once the wallet row is locked. Every drawdown of this wallet holds that lock
     * until it commits, and under READ COMMITTED the pricing then reads every usage aggregate committed before
     * it, so what was drawn and what is priced always describe the same usage: a drawdown never sees a price
     * older than one already drawn, and the ledger only moves up with usage (or down when a correction really
     * lowered it). Priced before the lock, two racing batches could draw the newer cost and then "refund" down
     * to the older one, writing credits and debits for usage that never changed.
     */
    public void drawUsage(String tenantId, Customer customer, String subscriptionId, String windowKey, LocalDate windowEnd,
                          Supplier<Money> pricing, String description) {
        Instant now = time.now(tenantId, customer);
        Wallet w = wallets.lock(tenantId, customer.id(), customer.currency(), now);
        Money cost = pricing.get();
        String currency = customer.currency().getCurrencyCode();
        Money drawn = Money.of(wallets.drawn(tenantId, subscriptionId, windowKey), currency).negate();
        Money delta = cost.minus(drawn);
        if (delta.isZero()) {
            return;
        }
        Money balance = Money.of(wallets.balance(tenantId, customer.id()), currency);
        Money move = delta.isPositive() ? Ledger.debitable(balance, Money.of(w.creditLimit(), currency), delta).negate() : delta.negate();
        if (move.isZero()) {
            return;
        }
        wallets.append(tenantId, new WalletEntry(Ids.next("wle"), customer.id(), WalletEntryKind.USAGE, move, balance.plus(move), subscriptionId,
                windowKey, windowEnd, description, now));
        requestRechargeIfDue(tenantId, customer, balance.plus(move));
    }

    /**
     * Pays an invoice of a prepaid customer from the wallet: the usage already drawn for the windows it bills
     * (cadence key prefix, closed by {@code closedBy}) counts first, then the wallet is debited for the rest as
     * far as it can pay. Returns the amount paid from the wallet in all, which the invoice shows as a negative
     * line; the entries are marked settled by {@code invoiceId}.
     */
    public Money payInvoice(String tenantId, Customer customer, String subscriptionId, String usageKeyPrefix, LocalDate closedBy, Money total,
                            String invoiceId, String label) {
        Instant now = time.now(tenantId, customer);
        String currency = customer.currency().getCurrencyCode();
        Wallet w = wallets.lock(tenantId, customer.id(), customer.currency(), now);
        List<WalletEntry> drawnEntries = subscriptionId == null || usageKeyPrefix == null ? List.of()
                : wallets.unsettledUsage(tenantId, subscriptionId, usageKeyPrefix, closedBy);
        Money drawn = Money.zero(currency);
        List<String> ids = new ArrayList<>();
        for (WalletEntry e : drawnEntries) {
            drawn = drawn.plus(e.amount().negate());
            ids.add(e.id());
        }
        Money balance = Money.of(wallets.balance(tenantId, customer.id()), currency);
        Money rest = total.minus(drawn);
        Money paid = drawn;
        if (rest.isPositive()) {
            Money take = Ledger.debitable(balance, Money.of(w.creditLimit(), currency), rest);
            if (take.isPositive()) {
                balance = balance.minus(take);
                wallets.append(tenantId, new WalletEntry(Ids.next("wle"), customer.id(), WalletEntryKind.INVOICE, take.negate(), balance, subscriptionId,
                        null, null, label, now));
                paid = paid.plus(take);
            }
        } else if (rest.isNegative()) {
            // drawn in real time for more than the invoice bills (a correction lowered the usage): give it back
            balance = balance.plus(rest.negate());
            wallets.append(tenantId, new WalletEntry(Ids.next("wle"), customer.id(), WalletEntryKind.ADJUSTMENT, rest.negate(), balance, subscriptionId,
                    null, null, "Refund of usage drawn above " + label, now));
            paid = total;
        }
        if (!ids.isEmpty()) {
            wallets.settle(tenantId, ids, invoiceId);
        }
        requestRechargeIfDue(tenantId, customer, balance);
        return paid;
    }

    /** Refuses a purchase a prepaid customer's wallet cannot pay now (postpaid customers are invoiced instead). */
    public void requireCanPay(String tenantId, Customer customer, Money total, String field, String what) {
        if (prepaid(customer) && total.isPositive() && spendable(tenantId, customer).compareTo(total) < 0) {
            throw new AccrueException(ErrorCode.INSUFFICIENT_FUNDS, field, "The prepaid balance of " + customer.id() + " cannot pay "
                    + total.toPlainMinorString() + " " + total.currency().getCurrencyCode() + " for " + what + "; top up first");
        }
    }

    /** Money the customer can still spend now: balance + credit limit (never negative). */
    public Money spendable(String tenantId, Customer customer) {
        WalletView v = view(tenantId, customer);
        return v.spendable();
    }

    /** What the wallet has paid so far for one usage window (positive). */
    public Money drawnFor(String tenantId, Customer customer, String subscriptionId, String windowKey) {
        return Money.of(wallets.drawn(tenantId, subscriptionId, windowKey), customer.currency().getCurrencyCode()).negate();
    }

    public static boolean prepaid(Customer customer) {
        return customer.accountType() == AccountType.PREPAID;
    }

    /**
     * Auto-recharge: when the balance falls below the rule's threshold the wallet is marked as needing a
     * recharge of the rule's amount (once, until the next top-up). Charging it to a payment method belongs to
     * payments; until then the request is visible on the wallet and in the audit trail.
     */
    private void requestRechargeIfDue(String tenantId, Customer customer, Money balance) {
        var w = wallets.find(tenantId, customer.id()).orElse(null);
        if (w == null || w.rechargeThreshold() == null || w.rechargeRequestedAt() != null) {
            return;
        }
        if (Ledger.rechargeDue(balance, Money.of(w.rechargeThreshold(), balance.currency().getCurrencyCode()))) {
            wallets.setRechargeRequested(tenantId, customer.id(), time.now(tenantId, customer));
            audit.record(Caller.system(tenantId), "customer", customer.id(),
                    "wallet.recharge_requested", null, Map.of("balance", balance.amount().toPlainString(), "amount", w.rechargeAmount().toPlainString()));
            events.record(tenantId, EventSnapshots.walletLow(customer.id(), balance, Money.of(w.rechargeThreshold(), balance.currency().getCurrencyCode()), time.systemNow()));
        }
    }

    private Customer customer(String tenantId, String customerId) {
        return customers.find(tenantId, customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
    }
}

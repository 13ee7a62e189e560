package dev.accrue.app.creditwallet;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.creditwallet.CreditLot;
import dev.accrue.core.creditwallet.CreditRate;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Credit wallets through the API: opened per customer with their unit, rate, priority, restriction and rules; credits
 * granted (free) or recorded as paid; read with their balance at the customer's now. Every request is checked before
 * anything is written.
 */
public final class CreditWallets {
    static final BigDecimal MAX_CREDITS = new BigDecimal("1000000000000");
    private static final int MAX_APPLIES_TO = 50;
    private final Transactions tx;
    private final CreditWalletRepository wallets;
    private final CreditWalletBooks books;
    private final CustomerRepository customers;
    private final CustomerTime time;
    private final AuditLog audit;

    public CreditWallets(Transactions tx, CreditWalletRepository wallets, CreditWalletBooks books, CustomerRepository customers, CustomerTime time,
                         AuditLog audit) {
        this.tx = tx;
        this.wallets = wallets;
        this.books = books;
        this.customers = customers;
        this.time = time;
        this.audit = audit;
    }

    /** What opening a wallet asks for; null fields take their defaults. */
    public record Opening(String name, String unit, BigDecimal rate, Integer priority, Boolean paidFirst, List<String> appliesTo,
                          BigDecimal recurringCredits, String recurringExpiry, BigDecimal topUpThreshold, BigDecimal topUpTarget) {
    }

    /** A wallet as read at {@code at}: its lots with what they have left, its entries newest first, its top-ups. */
    public record View(CreditWallet wallet, Instant at, CreditWalletBooks.Balance balance, List<CreditLot> lots, List<CreditWalletEntry> entries,
                       List<CreditWalletTopUp> topUps) {
    }

    public View open(Caller caller, String customerId, Opening o) {
        caller.requireWrite();
        if (o.name() == null || o.name().isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "name", "A credit wallet has a name");
        }
        text("name", o.name(), 100);
        String unitName = o.unit();
        if (unitName != null) {
            text("unit", unitName, 30);
        }
        BigDecimal rate = o.rate() == null ? BigDecimal.ONE : o.rate();
        if (rate.signum() <= 0 || rate.stripTrailingZeros().scale() > CreditRate.CREDIT_SCALE || rate.compareTo(new BigDecimal("1000000")) > 0) {
            throw new AccrueException(ErrorCode.INVALID_RATE, "rate", "A rate is the money one credit is worth: more than 0, at most 1000000, at most "
                    + CreditRate.CREDIT_SCALE + " decimals; got " + rate.toPlainString());
        }
        int priority = o.priority() == null ? 1 : o.priority();
        if (priority < 1 || priority > 1000) {
            throw AccrueException.invalid("priority", "priority is 1 (consumed first) to 1000");
        }
        List<String> appliesTo = o.appliesTo();
        if (appliesTo != null) {
            if (appliesTo.isEmpty() || appliesTo.size() > MAX_APPLIES_TO) {
                throw AccrueException.invalid("applies_to", "applies_to names 1 to " + MAX_APPLIES_TO + " charge codes (leave it out for every charge)");
            }
            for (String code : appliesTo) {
                if (code == null || !code.matches("[a-z0-9_\\-]{1,64}")) {
                    throw AccrueException.invalid("applies_to", "A charge code is 1-64 characters of a-z, 0-9, _ and -; got '" + code + "'");
                }
            }
            appliesTo = List.copyOf(appliesTo.stream().distinct().toList());
        }
        if (o.recurringCredits() != null) {
            credits("recurring.credits", o.recurringCredits());
        }
        String expiry = o.recurringExpiry() == null ? "end_of_month" : o.recurringExpiry();
        if (!expiry.equals("end_of_month") && !expiry.equals("never")) {
            throw AccrueException.invalid("recurring.expires", "recurring.expires is end_of_month or never");
        }
        if ((o.topUpThreshold() == null) != (o.topUpTarget() == null)) {
            throw new AccrueException(ErrorCode.INVALID_TOP_UP_RULE, "top_up", "A top-up rule has both threshold and target");
        }
        if (o.topUpThreshold() != null) {
            if (o.topUpThreshold().signum() < 0 || o.topUpThreshold().stripTrailingZeros().scale() > CreditRate.CREDIT_SCALE) {
                throw new AccrueException(ErrorCode.INVALID_TOP_UP_RULE, "top_up.threshold", "top_up.threshold is 0 or more credits, at most 6 decimals");
            }
            credits("top_up.target", o.topUpTarget());
            if (o.topUpTarget().compareTo(o.topUpThreshold()) <= 0) {
                throw new AccrueException(ErrorCode.INVALID_TOP_UP_RULE, "top_up.target", "top_up.target must be above top_up.threshold");
            }
        }
        List<String> restriction = appliesTo;
        return tx.inTransaction(() -> {
            Customer customer = customer(caller.tenantId(), customerId);
            String unit = unitName == null ? customer.currency().getCurrencyCode() : unitName.strip();
            CreditWallet w = new CreditWallet(Ids.next("cwl"), customerId, o.name().strip(), unit, customer.currency(), rate, priority,
                    Boolean.TRUE.equals(o.paidFirst()), restriction, o.recurringCredits(), expiry.equals("end_of_month"), o.topUpThreshold(),
                    o.topUpTarget(), time.now(caller.tenantId(), customer));
            wallets.insert(caller.tenantId(), w);
            Map<String, Object> facts = new HashMap<>();
            facts.put("name", w.name());
            facts.put("unit", unit);
            facts.put("rate", rate.toPlainString());
            facts.put("priority", priority);
            facts.put("applies_to", restriction == null ? "all" : String.join(",", restriction));
            audit.record(caller, "credit_wallet", w.id(), "credit_wallet.opened", null, facts);
            return read(caller.tenantId(), customer, w);
        });
    }

    /**
     * Adds a lot: {@code paid} false for granted (free) credits, true for credits the customer paid for outside Accrue
     * (recorded by the operator). {@code expiresAt} must lie after the customer's now.
     */
    public View grant(Caller caller, String customerId, String walletId, BigDecimal credits, boolean paid, Instant expiresAt, String description) {
        caller.requireWrite();
        credits("credits", credits);
        if (description != null) {
            text("description", description, 500);
        }
        return tx.inTransaction(() -> {
            Customer customer = customer(caller.tenantId(), customerId);
            CreditWallet w = wallet(caller.tenantId(), customerId, walletId);
            Instant now = time.now(caller.tenantId(), customer);
            if (expiresAt != null && !expiresAt.isAfter(now)) {
                throw new AccrueException(ErrorCode.EXPIRY_NOT_IN_FUTURE, "expires_at", "expires_at " + expiresAt + " is not after the customer's now " + now);
            }
            wallets.lock(caller.tenantId(), customerId);
            String id = Ids.next("cwe");
            String what = description == null || description.isBlank() ? (paid ? "Paid credits" : "Granted credits") : description.strip();
            wallets.append(caller.tenantId(), new CreditWalletEntry(id, w.id(), customerId, paid ? CreditWalletEntry.PURCHASED : CreditWalletEntry.GRANTED,
                    null, credits, w.creditRate().value(credits), expiresAt, "grant:" + id, what, now, now));
            audit.record(caller, "credit_wallet", w.id(), "credit_wallet." + (paid ? "purchased" : "granted"), null,
                    Map.of("entry", id, "credits", credits.toPlainString(), "expires_at", expiresAt == null ? "never" : expiresAt.toString()));
            return read(caller.tenantId(), customer, w);
        });
    }

    public List<View> list(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            Customer customer = customer(caller.tenantId(), customerId);
            wallets.lock(caller.tenantId(), customerId);
            return wallets.ofCustomer(caller.tenantId(), customerId).stream().map(w -> read(caller.tenantId(), customer, w)).toList();
        });
    }

    public View get(Caller caller, String customerId, String walletId) {
        return tx.inTransaction(() -> {
            Customer customer = customer(caller.tenantId(), customerId);
            CreditWallet w = wallet(caller.tenantId(), customerId, walletId);
            wallets.lock(caller.tenantId(), customerId);
            return read(caller.tenantId(), customer, w);
        });
    }

    /** Brings the wallet to the customer's now (grants due, expiries) before reading it. */
    private View read(String tenantId, Customer customer, CreditWallet w) {
        Instant now = time.now(tenantId, customer);
        List<CreditWalletEntry> entries = books.bringUpToDate(tenantId, customer, w, now);
        List<CreditLot> lots = CreditWalletBooks.lots(entries);
        return new View(w, now, CreditWalletBooks.balance(lots, now), lots, entries.reversed(), wallets.topUps(tenantId, w.id()).reversed());
    }

    private static void credits(String field, BigDecimal credits) {
        if (credits == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, field, field + " is required");
        }
        if (credits.signum() <= 0 || credits.stripTrailingZeros().scale() > CreditRate.CREDIT_SCALE || credits.compareTo(MAX_CREDITS) > 0) {
            throw new AccrueException(ErrorCode.INVALID_CREDITS, field, field + " is more than 0, at most " + MAX_CREDITS.toPlainString() + ", at most "
                    + CreditRate.CREDIT_SCALE + " decimals; got " + credits.toPlainString());
        }
    }

    private static void text(String field, String value, int max) {
        if (value.length() > max || value.isBlank()) {
            throw AccrueException.invalid(field, field + " is 1 to " + max + " characters");
        }
    }

    private Customer customer(String tenantId, String customerId) {
        return customers.find(tenantId, customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
    }

    private CreditWallet wallet(String tenantId, String customerId, String walletId) {
        return wallets.find(tenantId, customerId, walletId).orElseThrow(() -> AccrueException.notFound("credit_wallet", walletId));
    }
}

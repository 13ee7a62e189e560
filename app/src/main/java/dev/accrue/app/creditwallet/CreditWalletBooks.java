package dev.accrue.app.creditwallet;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.id.Ids;
import dev.accrue.app.payment.PaymentMethod;
import dev.accrue.app.payment.PaymentMethodRepository;
import dev.accrue.core.creditwallet.CreditLot;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that keeps a credit wallet's books up to date at an instant: recurring grants due by then are written
 * (one lot per month, keyed by the month, so a repeated run writes nothing), lots expired by then lose what they had left
 * through one {@code expired} entry dated at their expiry (keyed by the lot: never twice, never paid back), and a wallet
 * below its top-up threshold asks once for a top-up to its target. Every reader and every consumer calls it first, under
 * the customer's lock, so credits are never spent past their expiry nor before their grant.
 */
public final class CreditWalletBooks {
    private final CreditWalletRepository wallets;
    private final PaymentMethodRepository methods;
    private final AuditLog audit;

    public CreditWalletBooks(CreditWalletRepository wallets, PaymentMethodRepository methods, AuditLog audit) {
        this.wallets = wallets;
        this.methods = methods;
        this.audit = audit;
    }

    /** The lots of {@code entries} with what each has left. */
    public static List<CreditLot> lots(List<CreditWalletEntry> entries) {
        Map<String, BigDecimal> taken = new HashMap<>();
        for (CreditWalletEntry e : entries) {
            if (!e.isLot()) {
                taken.merge(e.lotId(), e.credits(), BigDecimal::add);
            }
        }
        List<CreditLot> lots = new ArrayList<>();
        for (CreditWalletEntry e : entries) {
            if (e.isLot()) {
                lots.add(new CreditLot(e.id(), CreditWalletEntry.PURCHASED.equals(e.kind()), e.credits().add(taken.getOrDefault(e.id(), BigDecimal.ZERO)),
                        e.effectiveAt(), e.expiresAt()));
            }
        }
        return lots;
    }

    /** Credits usable at {@code at}: granted and paid. */
    public record Balance(BigDecimal granted, BigDecimal paid) {
        public BigDecimal total() {
            return granted.add(paid);
        }
    }

    public static Balance balance(List<CreditLot> lots, Instant at) {
        BigDecimal granted = BigDecimal.ZERO;
        BigDecimal paid = BigDecimal.ZERO;
        for (CreditLot l : lots) {
            if (l.usableAt(at)) {
                if (l.paid()) {
                    paid = paid.add(l.remaining());
                } else {
                    granted = granted.add(l.remaining());
                }
            }
        }
        return new Balance(granted, paid);
    }

    /** Brings the wallet's books to {@code now}; the caller holds the customer's lock. Returns its entries afterwards. */
    public List<CreditWalletEntry> bringUpToDate(String tenantId, Customer customer, CreditWallet w, Instant now) {
        if (w.recurringCredits() != null) {
            grantRecurring(tenantId, customer, w, now);
        }
        List<CreditWalletEntry> entries = wallets.entries(tenantId, w.id());
        boolean wrote = false;
        for (CreditLot lot : lots(entries)) {
            if (lot.expiredWithCreditsAt(now)) {
                wrote |= wallets.append(tenantId, new CreditWalletEntry(Ids.next("cwe"), w.id(), customer.id(), CreditWalletEntry.EXPIRED, lot.id(),
                        lot.remaining().negate(), w.creditRate().value(lot.remaining()).negate(), null, "expiry:" + lot.id(),
                        "Expired unused " + (lot.paid() ? "paid" : "granted") + " credits (written off)", lot.expiresAt(), now));
            }
        }
        if (wrote) {
            entries = wallets.entries(tenantId, w.id());
        }
        requestTopUpIfDue(tenantId, customer, w, entries, now);
        return entries;
    }

    private void grantRecurring(String tenantId, Customer customer, CreditWallet w, Instant now) {
        YearMonth month = YearMonth.from(w.createdAt().atZone(customer.timeZone())).plusMonths(1);
        while (true) {
            ZonedDateTime start = month.atDay(1).atStartOfDay(customer.timeZone());
            if (start.toInstant().isAfter(now)) {
                return;
            }
            Instant expires = w.recurringExpires() ? month.plusMonths(1).atDay(1).atStartOfDay(customer.timeZone()).toInstant() : null;
            wallets.append(tenantId, new CreditWalletEntry(Ids.next("cwe"), w.id(), customer.id(), CreditWalletEntry.GRANTED, null, w.recurringCredits(),
                    w.creditRate().value(w.recurringCredits()), expires, "recurring:" + w.id() + ":" + month, "Recurring grant for " + month,
                    start.toInstant(), now));
            month = month.plusMonths(1);
        }
    }

    /**
     * A wallet whose usable credits fell below its threshold asks for the credits that bring it back to its target, once:
     * a second request waits until the pending one is settled (one pending top-up per wallet, a unique index). Without a
     * payment method there is nothing to charge, so nothing is asked (audited).
     */
    private void requestTopUpIfDue(String tenantId, Customer customer, CreditWallet w, List<CreditWalletEntry> entries, Instant now) {
        if (w.topUpThreshold() == null) {
            return;
        }
        BigDecimal total = balance(lots(entries), now).total();
        if (total.compareTo(w.topUpThreshold()) >= 0) {
            return;
        }
        BigDecimal credits = w.topUpTarget().subtract(total);
        Money amount = w.creditRate().value(credits);
        List<CreditWalletTopUp> earlier = wallets.topUps(tenantId, w.id());
        if (!amount.isPositive() || earlier.stream().anyMatch(t -> CreditWalletTopUp.PENDING.equals(t.status()))) {
            return;
        }
        // a declined top-up is asked again a day later at the earliest, not on every run
        if (!earlier.isEmpty() && CreditWalletTopUp.FAILED.equals(earlier.getLast().status())
                && earlier.getLast().requestedAt().plus(Duration.ofDays(1)).isAfter(now)) {
            return;
        }
        List<PaymentMethod> active = methods.active(tenantId, customer.id());
        if (active.isEmpty()) {
            return;
        }
        String id = Ids.next("ctu");
        if (wallets.insertTopUp(tenantId, new CreditWalletTopUp(id, w.id(), customer.id(), credits, amount, active.getFirst().id(),
                CreditWalletTopUp.PENDING, null, null, now, null))) {
            audit.record(Caller.system(tenantId), "credit_wallet", w.id(), "credit_wallet.top_up_requested", null,
                    Map.of("top_up", id, "credits", credits.toPlainString(), "amount", amount.toPlainMinorString(), "balance", total.toPlainString()));
        }
    }
}

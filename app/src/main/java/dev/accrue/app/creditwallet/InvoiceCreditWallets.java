package dev.accrue.app.creditwallet;

import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.id.Ids;
import dev.accrue.core.creditwallet.CreditConsumption;
import dev.accrue.core.creditwallet.CreditDraw;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step of invoice issuance that spends credit wallets, after customer credit and before the prepaid wallet: called
 * once per invoice, before it is written, inside its transaction. Wallets pay in priority order, each at most what the
 * invoice still owes; a restricted wallet only what its charges cost with their tax ({@link EligibleAmounts}). Each
 * wallet that paid gives one negative {@code credit} line (its charge code the wallet's id) and one {@code consumed}
 * entry per lot, keyed by invoice and lot, so a repeated issuance consumes nothing more. Credits are spent at the
 * instant the invoice is issued (the customer's clock).
 */
public final class InvoiceCreditWallets {
    private final CreditWalletRepository wallets;
    private final CreditWalletBooks books;
    private final CustomerTime time;

    public InvoiceCreditWallets(CreditWalletRepository wallets, CreditWalletBooks books, CustomerTime time) {
        this.wallets = wallets;
        this.books = books;
        this.time = time;
    }

    public List<InvoiceLine> consume(String tenantId, Customer customer, String invoiceId, List<InvoiceLine> lines, Money owed, Period period) {
        if (!owed.isPositive()) {
            return List.of();
        }
        List<CreditWallet> ofCustomer = wallets.ofCustomer(tenantId, customer.id());
        if (ofCustomer.isEmpty()) {
            return List.of();
        }
        wallets.lock(tenantId, customer.id());
        Instant now = time.now(tenantId, customer);
        EligibleAmounts eligible = EligibleAmounts.of(lines, customer.currency());
        Money left = owed;
        List<InvoiceLine> out = new ArrayList<>();
        for (CreditWallet w : ofCustomer) {
            if (!left.isPositive()) {
                break;
            }
            List<CreditWalletEntry> entries = books.bringUpToDate(tenantId, customer, w, now);
            Money cap = w.restricted() ? min(eligible.remaining(w.appliesTo()), left) : left;
            if (!cap.isPositive()) {
                continue;
            }
            List<CreditDraw> draws = CreditConsumption.plan(CreditWalletBooks.lots(entries), w.paidFirst(), now, w.creditRate(), cap);
            Money paid = Money.zero(customer.currency());
            BigDecimal credits = BigDecimal.ZERO;
            for (CreditDraw d : draws) {
                if (wallets.append(tenantId, new CreditWalletEntry(Ids.next("cwe"), w.id(), customer.id(), CreditWalletEntry.CONSUMED, d.lotId(),
                        d.credits().negate(), d.amount().negate(), null, "invoice:" + invoiceId + ":" + d.lotId(), "Applied to invoice " + invoiceId, now, now))) {
                    paid = paid.plus(d.amount());
                    credits = credits.add(d.credits());
                }
            }
            if (!paid.isPositive()) {
                continue;
            }
            if (w.restricted()) {
                eligible.take(w.appliesTo(), paid);
            } else {
                eligible.takeAnywhere(paid);
            }
            left = left.minus(paid);
            String label = w.name() + ": " + credits.stripTrailingZeros().toPlainString() + " " + w.unit() + " applied";
            out.add(new InvoiceLine(InvoiceLine.CREDIT, w.id(), label, period, BigDecimal.ONE, paid.negate(), paid.negate()));
            // the wallet may have fallen below its top-up threshold
            books.bringUpToDate(tenantId, customer, w, now);
        }
        return out;
    }

    /**
     * Gives back what invoice {@code invoiceId} consumed (its invoice is voided): one {@code returned} entry per consumed
     * lot, naming that lot, so the credits come back as what they were — granted or paid, with the lot's expiry. A lot
     * that expired meanwhile takes them and loses them at once through an {@code expired} entry dated at its expiry: what
     * would have been written off had the invoice never consumed it. Keyed by the invoice and the lot, so a repeated void
     * gives back nothing more. Returns what was given back, in money.
     */
    public Money giveBack(String tenantId, Customer customer, String invoiceId, String reason) {
        Money given = Money.zero(customer.currency());
        List<CreditWallet> ofCustomer = wallets.ofCustomer(tenantId, customer.id());
        if (ofCustomer.isEmpty()) {
            return given;
        }
        wallets.lock(tenantId, customer.id());
        Instant now = time.now(tenantId, customer);
        String consumedBy = "invoice:" + invoiceId + ":";
        for (CreditWallet w : ofCustomer) {
            List<CreditWalletEntry> entries = wallets.entries(tenantId, w.id());
            Map<String, CreditWalletEntry> lots = new LinkedHashMap<>();
            entries.stream().filter(CreditWalletEntry::isLot).forEach(e -> lots.put(e.id(), e));
            for (CreditWalletEntry e : entries) {
                if (!CreditWalletEntry.CONSUMED.equals(e.kind()) || !e.sourceKey().startsWith(consumedBy)) {
                    continue;
                }
                String key = "return:" + invoiceId + ":" + e.lotId();
                if (!wallets.append(tenantId, new CreditWalletEntry(Ids.next("cwe"), w.id(), customer.id(), CreditWalletEntry.RETURNED, e.lotId(),
                        e.credits().negate(), e.amount().negate(), null, key, reason, now, now))) {
                    continue;
                }
                given = given.plus(e.amount().negate());
                Instant expiry = lots.get(e.lotId()).expiresAt();
                if (expiry != null && !now.isBefore(expiry)) {
                    wallets.append(tenantId, new CreditWalletEntry(Ids.next("cwe"), w.id(), customer.id(), CreditWalletEntry.EXPIRED, e.lotId(),
                            e.credits(), e.amount(), null, "expiry:" + key, "Expired unused credits given back after their expiry (written off)",
                            expiry, now));
                }
            }
            books.bringUpToDate(tenantId, customer, w, now);
        }
        return given;
    }

    private static Money min(Money a, Money b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** What each charge code of an invoice costs with its tax, as far as credit wallets have not paid it yet. */
    static final class EligibleAmounts {
        private final Map<String, Money> byCharge;
        private final Money zero;

        private EligibleAmounts(Map<String, Money> byCharge, Money zero) {
            this.byCharge = byCharge;
            this.zero = zero;
        }

        /**
         * A charge line (not tax, credit, prepaid) counts with the tax of the tax line that covers it ({@code tax} lines
         * carry their rate as quantity; tax already inside the price, {@code tax_included}, adds nothing), rounded once
         * per charge code; discounts count against the charge they discount.
         */
        static EligibleAmounts of(List<InvoiceLine> lines, Currency currency) {
            List<InvoiceLine> taxLines = lines.stream().filter(InvoiceLine::isTax).toList();
            Map<String, Money> raw = new LinkedHashMap<>();
            for (InvoiceLine l : lines) {
                if (l.isTax() || InvoiceLine.CREDIT.equals(l.kind()) || InvoiceLine.PREPAID.equals(l.kind())) {
                    continue;
                }
                Money amount = l.amount();
                Integer group = l.tax() == null ? null : l.tax().group();
                if (group != null && group >= 1 && group <= taxLines.size() && InvoiceLine.TAX.equals(taxLines.get(group - 1).kind())) {
                    amount = amount.plus(amount.times(taxLines.get(group - 1).quantity()));
                }
                raw.merge(l.chargeCode() == null ? "" : l.chargeCode(), amount, Money::plus);
            }
            Money zero = Money.zero(currency);
            Map<String, Money> byCharge = new LinkedHashMap<>();
            raw.forEach((code, m) -> {
                Money r = m.rounded(RoundingMode.HALF_EVEN);
                byCharge.put(code, r.isNegative() ? zero : r);
            });
            return new EligibleAmounts(byCharge, zero);
        }

        Money remaining(List<String> codes) {
            Money sum = zero;
            for (String c : codes) {
                sum = sum.plus(byCharge.getOrDefault(c, zero));
            }
            return sum;
        }

        void take(List<String> codes, Money paid) {
            Money left = paid;
            for (String c : codes) {
                left = takeFrom(c, left);
            }
        }

        void takeAnywhere(Money paid) {
            Money left = paid;
            for (String c : List.copyOf(byCharge.keySet())) {
                left = takeFrom(c, left);
            }
        }

        private Money takeFrom(String code, Money left) {
            Money has = byCharge.getOrDefault(code, zero);
            Money t = has.compareTo(left) <= 0 ? has : left;
            if (t.isPositive()) {
                byCharge.put(code, has.minus(t));
            }
            return left.minus(t);
        }
    }
}

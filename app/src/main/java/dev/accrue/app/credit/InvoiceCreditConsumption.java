package dev.accrue.app.credit;

import dev.accrue.app.id.Ids;
import dev.accrue.core.credit.CreditLedger;
import dev.accrue.core.credit.InvoiceSettlement;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.math.BigDecimal;
import java.time.Clock;

/**
 * The step of invoice issuance that meets customer credit ({@link InvoiceSettlement}): called once per invoice,
 * before it is written, inside its transaction. An invoice that owes something takes min(credit balance, owed),
 * recorded as an {@code applied} entry keyed by the invoice and shown as a negative {@code credit} line. A
 * postpaid customer's invoice whose lines sum below zero (a usage correction larger than the rest of it) gives
 * that part back as a {@code granted} entry keyed by the invoice, shown as a positive {@code credit} line, so the
 * invoice totals 0.00 — never negative — and the next invoices consume the rest. (A prepaid customer's negative
 * invoice goes back to the wallet instead; the issuer does not ask this step to carry it.)
 */
public final class InvoiceCreditConsumption {
    private final CreditRepository credits;
    private final Clock clock;

    public InvoiceCreditConsumption(CreditRepository credits, Clock clock) {
        this.credits = credits;
        this.clock = clock;
    }

    /** The credit line for an invoice owing {@code owed}, or null when no credit applies. */
    public InvoiceLine consume(String tenantId, Customer customer, String invoiceId, Money owed, Period period, boolean carryNegative) {
        return consume(tenantId, customer, invoiceId, invoiceId, owed, period, carryNegative);
    }

    /**
     * Whether a ledger entry's source is invoice {@code invoiceId}: the invoice itself, or one of its regenerations
     * ({@code inv_…#…}) — a draft priced again draws (and gives back) under sources of its own, since the ledger keeps one
     * entry per kind and source.
     */
    public static boolean sourcedBy(String sourceId, String invoiceId) {
        return sourceId.equals(invoiceId) || sourceId.startsWith(invoiceId + "#");
    }

    /**
     * A draft about to be priced again ({@code DraftRegeneration}): the credit it applied goes back to the balance, as an
     * {@code applied} entry of the opposite sign under a source of its own, so the ledger stays append-only and what the
     * invoice holds of the balance is still the sum of the entries {@link #sourcedBy} it. Returns the source the new
     * pricing draws under. A draft that carried a negative total to the balance is not priced again (the caller refuses it).
     */
    public String giveBackForRepricing(String tenantId, Customer customer, String invoiceId) {
        credits.lock(tenantId, customer.id());
        Money held = Money.zero(customer.currency());
        for (CreditEntry e : credits.entries(tenantId, customer.id())) {
            if (CreditEntry.APPLIED.equals(e.kind()) && sourcedBy(e.sourceId(), invoiceId)) {
                held = held.plus(e.amount());
            }
        }
        String generation = Ids.next("ccr");
        if (held.isNegative()) {
            credits.append(tenantId, new CreditEntry(Ids.next("ccr"), customer.id(), held.negate(), CreditEntry.APPLIED,
                    invoiceId + "#returned:" + generation, "Given back: draft " + invoiceId + " regenerated", clock.instant()));
        }
        return invoiceId + "#" + generation;
    }

    /** Whether the invoice carried a negative total to the customer's balance. */
    public boolean carried(String tenantId, String customerId, String invoiceId) {
        return credits.entries(tenantId, customerId).stream()
                .anyMatch(e -> CreditEntry.GRANTED.equals(e.kind()) && sourcedBy(e.sourceId(), invoiceId));
    }

    /** As {@link #consume(String, Customer, String, Money, Period, boolean)}, the entry recorded under {@code sourceId}. */
    public InvoiceLine consume(String tenantId, Customer customer, String invoiceId, String sourceId, Money owed, Period period,
                               boolean carryNegative) {
        if (owed.isZero() || owed.isNegative() && !carryNegative) {
            return null;
        }
        credits.lock(tenantId, customer.id());
        Money balance = CreditLedger.balance(customer.currency(), credits.entries(tenantId, customer.id()).stream().map(CreditEntry::amount).toList());
        InvoiceSettlement s = InvoiceSettlement.of(balance, owed);
        String currency = customer.currency().getCurrencyCode();
        if (s.carried().isPositive()) {
            credits.append(tenantId, new CreditEntry(Ids.next("ccr"), customer.id(), s.carried(), CreditEntry.GRANTED, sourceId,
                    "Carried from invoice " + invoiceId + " (its corrections exceed its charges)", clock.instant()));
            String label = "Carried to customer credit: " + s.carried().toPlainMinorString() + " " + currency
                    + " (corrections larger than this invoice; the next invoices use it)";
            return new InvoiceLine(InvoiceLine.CREDIT, null, label, period, BigDecimal.ONE, s.carried(), s.carried());
        }
        if (s.applied().isZero()) {
            return null;
        }
        Money left = balance.minus(s.applied());
        credits.append(tenantId, new CreditEntry(Ids.next("ccr"), customer.id(), s.applied().negate(), CreditEntry.APPLIED, sourceId,
                "Applied to invoice " + invoiceId, clock.instant()));
        String label = "Customer credit applied" + (left.isPositive() ? " (" + left.toPlainMinorString() + " " + currency + " left)" : "");
        return new InvoiceLine(InvoiceLine.CREDIT, null, label, period, BigDecimal.ONE, s.applied().negate(), s.applied().negate());
    }
}

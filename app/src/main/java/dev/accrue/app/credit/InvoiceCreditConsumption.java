package dev.accrue.app.credit;

import dev.accrue.app.id.Ids;
import dev.accrue.core.credit.CreditLedger;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.math.BigDecimal;
import java.time.Clock;

/**
 * The step of invoice issuance that consumes customer credit: called once per invoice, before it is written,
 * inside its transaction. It takes min(credit balance, what the invoice owes), records that as an
 * {@code applied} entry keyed by the invoice, and returns the negative {@code credit} line the invoice shows —
 * so an invoice is never negative and the rest of the credit carries forward.
 */
public final class InvoiceCreditConsumption {
    private final CreditRepository credits;
    private final Clock clock;

    public InvoiceCreditConsumption(CreditRepository credits, Clock clock) {
        this.credits = credits;
        this.clock = clock;
    }

    /** The credit line for an invoice owing {@code owed}, or null when no credit applies. */
    public InvoiceLine consume(String tenantId, Customer customer, String invoiceId, Money owed, Period period) {
        if (!owed.isPositive()) {
            return null;
        }
        credits.lock(tenantId, customer.id());
        Money balance = CreditLedger.balance(customer.currency(), credits.entries(tenantId, customer.id()).stream().map(CreditEntry::amount).toList());
        Money applied = CreditLedger.applicable(balance, owed);
        if (applied.isZero()) {
            return null;
        }
        Money left = balance.minus(applied);
        credits.append(tenantId, new CreditEntry(Ids.next("ccr"), customer.id(), applied.negate(), CreditEntry.APPLIED, invoiceId,
                "Applied to invoice " + invoiceId, clock.instant()));
        String label = "Customer credit applied" + (left.isPositive() ? " (" + left.toPlainMinorString() + " " + left.currency().getCurrencyCode() + " left)" : "");
        return new InvoiceLine(InvoiceLine.CREDIT, null, label, period, BigDecimal.ONE, applied.negate(), applied.negate());
    }
}

package dev.accrue.app.credit;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.credit.CreditLedger;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;

import java.time.Clock;
import java.util.List;

/** A customer's credit: granted by refunds, consumed by the next invoices ({@link InvoiceCreditConsumption}). */
public final class CustomerCredits {
    private final Transactions tx;
    private final CreditRepository credits;
    private final CustomerRepository customers;
    private final Clock clock;

    public CustomerCredits(Transactions tx, CreditRepository credits, CustomerRepository customers, Clock clock) {
        this.tx = tx;
        this.credits = credits;
        this.customers = customers;
        this.clock = clock;
    }

    public record Balance(String customerId, Money balance, List<CreditEntry> entries) {
    }

    /** Credits {@code amount} (> 0) once per source; must run in the transaction that decides the refund. */
    public void grant(String tenantId, Customer customer, Money amount, String sourceId, String description) {
        if (!amount.isPositive()) {
            return;
        }
        credits.lock(tenantId, customer.id());
        credits.append(tenantId, new CreditEntry(Ids.next("ccr"), customer.id(), amount, CreditEntry.GRANTED, sourceId, description, clock.instant()));
    }

    /** The balance (a fold of the ledger) and every entry, newest first. */
    public Balance balance(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            Customer customer = customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            List<CreditEntry> entries = credits.entries(caller.tenantId(), customerId);
            Money balance = CreditLedger.balance(customer.currency(), entries.stream().map(CreditEntry::amount).toList());
            return new Balance(customerId, balance, entries.reversed());
        });
    }
}

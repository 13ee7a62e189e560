package dev.accrue.app.credit;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.credit.CreditLedger;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.List;

/** A customer's credit: granted by refunds, credit notes, carried negative invoices and promotional grants, consumed by the next invoices ({@link InvoiceCreditConsumption}). */
public final class CustomerCredits {
    private static final BigDecimal MAX_GRANT = new BigDecimal("1000000000");
    private final Transactions tx;
    private final CreditRepository credits;
    private final CustomerRepository customers;
    private final Clock clock;
    private final AuditLog audit;

    public CustomerCredits(Transactions tx, CreditRepository credits, CustomerRepository customers, Clock clock, AuditLog audit) {
        this.audit = audit;
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

    /**
     * A promotional grant by the operator (goodwill, a launch offer): {@code amount} in the customer's currency, more
     * than 0 and in whole minor units, added to the balance the next invoices consume. Refused, nothing written:
     * {@code invalid_amount}, {@code currency_mismatch}, {@code missing_field} (description).
     */
    public Balance grantPromotional(Caller caller, String customerId, BigDecimal amount, String currency, String description) {
        caller.requireWrite();
        if (amount == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "amount", "amount is required");
        }
        if (description == null || description.isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "description", "A credit grant says why (description)");
        }
        if (description.length() > 500) {
            throw AccrueException.invalid("description", "description is at most 500 characters");
        }
        return tx.inTransaction(() -> {
            Customer customer = customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            String code = customer.currency().getCurrencyCode();
            if (currency == null) {
                throw new AccrueException(ErrorCode.MISSING_FIELD, "currency", "currency is required");
            }
            if (!code.equals(currency)) {
                throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "currency", "The credit of " + customerId + " is in " + code + ", not " + currency);
            }
            Money m = new Money(amount, customer.currency());
            if (!m.isPositive() || m.amount().scale() > m.minorUnitDigits() || m.amount().compareTo(MAX_GRANT) > 0) {
                throw new AccrueException(ErrorCode.INVALID_AMOUNT, "amount", "A credit grant is more than 0, at most " + MAX_GRANT.toPlainString()
                        + ", in whole minor units of " + code + "; got " + amount.toPlainString());
            }
            String source = Ids.next("ccg");
            grant(caller.tenantId(), customer, m, source, "Promotional credit: " + description.strip());
            audit.record(caller, "customer", customerId, "credit.granted", null, Map.of("amount", m.toPlainMinorString(), "currency", code,
                    "grant", source, "description", description.strip()));
            return balance(caller, customerId);
        });
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

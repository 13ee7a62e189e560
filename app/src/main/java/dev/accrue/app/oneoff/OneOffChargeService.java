package dev.accrue.app.oneoff;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.PendingItems;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.tax.TaxCategory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One-off charges: a line outside the catalog — a manual charge, a professional-services fee — for a customer, either on an
 * invoice of its own issued at once (through the one place invoices are issued, so coupons, taxes, customer credit, the
 * prepaid wallet and the tenant's grace hours treat it like any invoice), or parked on a subscription's next regular
 * invoice with the parked items upgrades already use ({@link PendingItems}): the renewal invoice, or the final invoice when
 * the subscription ends first. Its line is of kind {@code one_off} and carries its tax category as its charge code.
 */
public final class OneOffChargeService {
    static final BigDecimal MAX = new BigDecimal("1000000000");
    private final Transactions tx;
    private final OneOffChargeRepository charges;
    private final CustomerRepository customers;
    private final SubscriptionRepository subscriptions;
    private final PendingItems pending;
    private final BillingService billing;
    private final CustomerTime time;
    private final AuditLog audit;

    public OneOffChargeService(Transactions tx, OneOffChargeRepository charges, CustomerRepository customers, SubscriptionRepository subscriptions,
                               PendingItems pending, BillingService billing, CustomerTime time, AuditLog audit) {
        this.tx = tx;
        this.charges = charges;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.pending = pending;
        this.billing = billing;
        this.time = time;
        this.audit = audit;
    }

    public record Request(String description, BigDecimal amount, BigDecimal quantity, BigDecimal unitPrice, String currency, String taxCategory,
                          String invoice, String subscriptionId) {
    }

    /** The charge, and the invoice it was issued on (null when parked for the next invoice, or kept a draft by grace hours). */
    public record Created(OneOffCharge charge, Invoice invoice) {
    }

    public Created create(Caller caller, String customerId, Request r) {
        caller.requireWrite();
        if (r.description() == null || r.description().isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "description", "description is required: what the charge is for");
        }
        if (r.description().strip().length() > 500) {
            throw AccrueException.invalid("description", "description is at most 500 characters");
        }
        String invoicing = r.invoice() == null ? OneOffCharge.NOW : r.invoice();
        if (!invoicing.equals(OneOffCharge.NOW) && !invoicing.equals(OneOffCharge.NEXT_INVOICE)) {
            throw AccrueException.invalid("invoice", "invoice must be 'now' or 'next_invoice', got '" + invoicing + "'");
        }
        if (invoicing.equals(OneOffCharge.NEXT_INVOICE) && r.subscriptionId() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "subscription_id", "A charge for the next invoice names the subscription whose invoice it joins");
        }
        TaxCategory category = TaxCategory.parse(r.taxCategory());
        return tx.inTransaction(() -> {
            Customer customer = customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            String code = customer.currency().getCurrencyCode();
            if (r.currency() != null && !r.currency().equals(code)) {
                throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "currency", "Customer " + customerId + " is billed in " + code + ", not " + r.currency());
            }
            Priced priced = price(caller.tenantId(), r, customer);
            LocalDate today = time.today(caller.tenantId(), customer);
            Subscription sub = null;
            if (r.subscriptionId() != null) {
                sub = subscriptions.find(caller.tenantId(), r.subscriptionId()).filter(s -> s.customerId().equals(customerId))
                        .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "subscription_id",
                                "Customer " + customerId + " has no subscription '" + r.subscriptionId() + "'"));
                if (invoicing.equals(OneOffCharge.NEXT_INVOICE) && sub.endedOn() != null && subscriptions.usageClosed(caller.tenantId(), sub.id())) {
                    throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "subscription_id",
                            "Subscription " + sub.id() + " ended on " + sub.endedOn() + " and has issued its final invoice; invoice the charge now");
                }
            }
            String id = Ids.next("ooc");
            InvoiceLine line = new InvoiceLine(InvoiceLine.ONE_OFF, category.wire(), r.description().strip(), null, priced.quantity(),
                    priced.unitPrice(), priced.amount());
            Invoice invoice = null;
            if (invoicing.equals(OneOffCharge.NOW)) {
                // the charge's id is the invoice's billing key: unique per tenant, so the charge is invoiced once
                invoice = billing.issue(caller.tenantId(), customer, sub == null ? null : sub.id(), id, today, null, List.of(line));
            } else {
                pending.add(caller.tenantId(), sub.id(), customerId, line, time.systemNow());
            }
            OneOffCharge charge = new OneOffCharge(id, customerId, sub == null ? null : sub.id(), line.description(), priced.quantity(),
                    priced.unitPrice(), priced.amount(), category, invoicing, invoice == null ? null : invoice.id(), today, time.systemNow());
            charges.insert(caller.tenantId(), charge);
            audit.record(caller, "customer", customerId, "one_off_charge.created", null, Map.of("id", id, "amount", priced.amount().toPlainMinorString(),
                    "currency", code, "invoice", invoicing, "description", line.description()));
            return new Created(charge, invoice);
        });
    }

    public Page<OneOffCharge> list(Caller caller, String customerId, PageRequest page) {
        return tx.inTransaction(() -> {
            customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            return charges.list(caller.tenantId(), customerId, page);
        });
    }

    private record Priced(BigDecimal quantity, Money unitPrice, Money amount) {
    }

    /**
     * Either {@code amount} (quantity 1) or {@code quantity} × {@code unit_price}, rounded once with the tenant's rounding. An
     * amount is in whole minor units; a unit price has at most 9 decimals, a quantity at most 12; each is above 0 and at most
     * 1,000,000,000, and so is the rounded amount.
     */
    private Priced price(String tenantId, Request r, Customer customer) {
        if (r.amount() != null && (r.unitPrice() != null || r.quantity() != null)) {
            throw AccrueException.invalid(r.unitPrice() != null ? "unit_price" : "quantity",
                    "Give either amount, or quantity and unit_price, not both");
        }
        if (r.amount() != null) {
            Money m = new Money(r.amount(), customer.currency());
            if (!m.isPositive() || m.amount().scale() > m.minorUnitDigits() || m.amount().compareTo(MAX) > 0) {
                throw new AccrueException(ErrorCode.INVALID_AMOUNT, "amount", "amount is more than 0, at most 1000000000, in whole minor units of "
                        + customer.currency().getCurrencyCode() + "; got " + r.amount().toPlainString());
            }
            return new Priced(BigDecimal.ONE, m, m);
        }
        if (r.unitPrice() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "amount", "amount is required (or quantity and unit_price)");
        }
        BigDecimal quantity = r.quantity() == null ? BigDecimal.ONE : r.quantity().stripTrailingZeros();
        if (quantity.signum() <= 0 || quantity.scale() > InvoiceLine.QUANTITY_SCALE || quantity.compareTo(MAX) > 0) {
            throw AccrueException.invalid("quantity", "quantity is more than 0, at most 1000000000, with at most 12 decimals; got " + quantity.toPlainString());
        }
        Money unit = new Money(r.unitPrice(), customer.currency());
        if (!unit.isPositive() || unit.amount().scale() > 9 || unit.amount().compareTo(MAX) > 0) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, "unit_price", "unit_price is more than 0, at most 1000000000, with at most 9 decimals; got "
                    + r.unitPrice().toPlainString());
        }
        Money amount = billing.rounding(tenantId).apply(unit.times(quantity));
        if (!amount.isPositive() || amount.amount().compareTo(MAX) > 0) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, "unit_price", "quantity × unit_price rounds to " + amount.toPlainMinorString()
                    + "; a charge is more than 0 and at most 1000000000");
        }
        return new Priced(quantity, unit, amount);
    }
}

package dev.accrue.app.invoice;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Actor;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Proforma first (plans with {@code invoicing: proforma_first}): a renewal issues a proforma — a payment
 * request numbered in its own gapless series ({@code PRO-000001}), not an invoice — and marking it paid turns
 * it into a paid invoice numbered with the tenant's next invoice number ({@code INV-…}), issued on the payment
 * day. Invoice numbers therefore stay gapless and are used only by invoices: an unpaid or voided proforma
 * never takes one. Both numbers come from counter rows locked by the writing transaction, so a rollback gives
 * its number back.
 */
public final class ProformaInvoicing {
    private final InvoiceRepository invoices;
    private final CustomerRepository customers;
    private final CustomerTime time;
    private final AuditLog audit;

    public ProformaInvoicing(InvoiceRepository invoices, CustomerRepository customers, CustomerTime time, AuditLog audit) {
        this.invoices = invoices;
        this.customers = customers;
        this.time = time;
        this.audit = audit;
    }

    /**
     * Issues a proforma for {@code lines}; null when the billing key was already billed (a rerun), in which case
     * nothing is written and no number is taken. Must run inside the billing transaction.
     */
    public Invoice issue(String tenantId, Customer customer, String subscriptionId, String billingKey, LocalDate issueDate, Period period,
                         List<InvoiceLine> lines, Money subtotal, Money total) {
        Instant now = time.systemNow();
        Invoice proforma = new Invoice(Ids.next("inv"), customer.id(), subscriptionId, billingKey, null, InvoiceStatus.PROFORMA, subtotal, total,
                issueDate, issueDate.plusDays(customer.paymentTerms().netDays()), period == null ? null : period.start(),
                period == null ? null : period.end(), now, null, List.copyOf(lines), null);
        if (!invoices.insert(tenantId, proforma, now)) {
            return null;
        }
        String number = "PRO-%06d".formatted(invoices.nextProformaNumber(tenantId));
        invoices.numberProforma(tenantId, proforma.id(), number);
        Invoice issued = invoices.find(tenantId, proforma.id()).orElseThrow();
        audit.record(Caller.system(tenantId), "invoice", issued.id(), "invoice.proforma_issued", null,
                Map.of("proforma_number", number, "total", total.toPlainMinorString(), "currency", total.currency().getCurrencyCode(),
                        "billing_key", billingKey));
        return issued;
    }

    /** Marks a proforma paid: it becomes a paid invoice with the next invoice number, issued today (customer's time). */
    public Invoice pay(Caller caller, Invoice proforma) {
        Customer customer = customers.find(caller.tenantId(), proforma.customerId()).orElseThrow();
        LocalDate today = time.today(caller.tenantId(), customer);
        String number = "INV-%06d".formatted(invoices.nextNumber(caller.tenantId()));
        if (!invoices.payProforma(caller.tenantId(), proforma.id(), number, today, time.systemNow())) {
            throw notOpen(proforma, "paid");
        }
        Invoice paid = invoices.find(caller.tenantId(), proforma.id()).orElseThrow();
        audit.record(caller, "invoice", paid.id(), "invoice.paid", Map.of("status", "proforma", "number", proforma.number()),
                Map.of("status", "paid", "number", number, "proforma_number", proforma.number()));
        return paid;
    }

    /** Voids a proforma; no invoice number is taken. */
    public Invoice voidProforma(Caller caller, Invoice proforma) {
        if (!invoices.voidProforma(caller.tenantId(), proforma.id())) {
            throw notOpen(proforma, "void");
        }
        audit.record(caller, "invoice", proforma.id(), "invoice.void", Map.of("status", "proforma"), Map.of("status", "void"));
        return invoices.find(caller.tenantId(), proforma.id()).orElseThrow();
    }

    private static AccrueException notOpen(Invoice i, String to) {
        return new AccrueException(ErrorCode.INVOICE_NOT_OPEN, "status", "Invoice " + i.id() + " is no longer a proforma; it cannot become " + to);
    }
}

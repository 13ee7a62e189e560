package dev.accrue.app.billing;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Where consolidated invoices and their sections are kept (see {@link ConsolidatedInvoices}). */
public interface ConsolidatedInvoiceRepository {
    /** Serializes, until the transaction ends, everything that adds a section to one parent's invoices. */
    void lockParent(String tenantId, String parentId);

    /** The parent's consolidated invoice of {@code issueDate} that is still a draft, its row locked; empty when none is open. */
    Optional<Invoice> openDraft(String tenantId, String parentId, LocalDate issueDate);

    /** How many consolidated invoices (open or final) the parent has for {@code issueDate}. */
    int countFor(String tenantId, String parentId, LocalDate issueDate);

    /** The billing key of the {@code n}-th consolidated invoice of the parent for {@code issueDate} (1 for the first). */
    static String billingKey(String parentId, LocalDate issueDate, int n) {
        return parentId + ":consolidated:" + issueDate + ":" + n;
    }

    /**
     * Appends one section to the draft: its lines after the invoice's last, its row under {@code billingKey}, the invoice's
     * subtotal and total raised by the section's and its period widened to cover {@code period}.
     */
    void addSection(String tenantId, String invoiceId, String billingKey, String customerId, String subscriptionId, List<InvoiceLine> lines,
                    Money subtotal, Money total, Period period);
}

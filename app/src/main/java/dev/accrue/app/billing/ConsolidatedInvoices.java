package dev.accrue.app.billing;

import dev.accrue.app.coupon.InvoiceDiscounts;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.tax.DocumentTaxes;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.invoice.LineTax;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Consolidated invoicing (docs/billing.md#account-hierarchies): a child whose charges go on its parent's invoice
 * ({@link Customer#invoicedToId()}) gets a section on the parent's consolidated invoice of the issue date instead of a
 * document of its own. The section is what one billing key of the child would have invoiced — its lines discounted by
 * the child's coupons and taxed with the parent as the buyer (the consolidated invoice is the parent's document), each
 * line labelled with the child — and it is recorded under that billing key, so a rerun of the period finds it billed,
 * exactly as with an ordinary invoice; all of it in the caller's transaction, which a crash rolls back whole.
 *
 * <p>The consolidated invoice is a draft while sections land: every child billed on that date adds its own, and the
 * finalization job (at the end of a billing run, or of a test clock's advance) numbers it in the one gapless series
 * and opens its collection from the parent's payment methods. A child billed after its parent's invoice of the day
 * was finalized (it failed in the run and was retried) goes on a second consolidated invoice of the day: a final
 * invoice never changes. Sections of one parent are added under the parent's lock, so concurrent runs never build two
 * drafts of one day; the finalization job claims drafts with SKIP LOCKED, so it never numbers one a section is being
 * added to.
 */
final class ConsolidatedInvoices {
    private final ConsolidatedInvoiceRepository consolidated;
    private final InvoiceRepository invoices;
    private final CustomerRepository customers;
    private final DocumentTaxes taxes;
    private final InvoiceDiscounts discounts;
    private final CustomerTime time;
    private final DomainEvents events;

    ConsolidatedInvoices(ConsolidatedInvoiceRepository consolidated, InvoiceRepository invoices, CustomerRepository customers, DocumentTaxes taxes,
                         InvoiceDiscounts discounts, CustomerTime time, DomainEvents events) {
        this.consolidated = consolidated;
        this.invoices = invoices;
        this.customers = customers;
        this.taxes = taxes;
        this.discounts = discounts;
        this.time = time;
        this.events = events;
    }

    /**
     * Puts {@code lines} of {@code child} on its parent's open consolidated invoice of {@code issueDate} (a new draft when
     * none is open) and returns the section as placed there — the invoice's id, the section's lines and totals under
     * {@code billingKey}; null when {@code billingKey} was billed already (nothing is written).
     */
    Invoice addSection(String tenantId, Customer child, String subscriptionId, String billingKey, LocalDate issueDate, Period period,
                       List<InvoiceLine> lines, RoundingPolicy rounding, int graceHours) {
        if (invoices.billed(tenantId, billingKey)) {
            return null;
        }
        Customer parent = customers.find(tenantId, child.invoicedToId()).orElseThrow();
        List<InvoiceLine> discounted = discounts.apply(tenantId, child.id(), subscriptionId, billingKey, lines, period, () -> rounding);
        DocumentTaxes.Taxed taxed = taxes.apply(tenantId, parent, subscriptionId, discounted, period, rounding);
        consolidated.lockParent(tenantId, parent.id());
        Invoice draft = consolidated.openDraft(tenantId, parent.id(), issueDate)
                .orElseGet(() -> newDraft(tenantId, parent, issueDate, period, taxed.total().currency(), graceHours));
        // the section's tax lines keep their own numbers after the invoice's: a line and its tax line share one group
        int groups = draft.lines().stream().map(InvoiceLine::tax).filter(t -> t != null && t.group() != null)
                .mapToInt(LineTax::group).max().orElse(0);
        InvoiceLine.Section section = new InvoiceLine.Section(child.id(), child.legalName());
        List<InvoiceLine> placed = taxed.lines().stream().map(l -> renumbered(l, groups).inSection(section)).toList();
        consolidated.addSection(tenantId, draft.id(), billingKey, child.id(), subscriptionId, placed, taxed.subtotal(), taxed.total(), period);
        // what this billing key put on the parent's invoice, and nothing of its siblings': previews, a change's answer and
        // the child's portal show this, while the invoice itself (GET /v1/invoices/{id}) is the parent's whole document
        return new Invoice(draft.id(), parent.id(), subscriptionId, billingKey, null, InvoiceStatus.DRAFT, taxed.subtotal(), taxed.total(), issueDate,
                draft.dueDate(), period == null ? null : period.start(), period == null ? null : period.end(), draft.createdAt(), null, placed);
    }

    private Invoice newDraft(String tenantId, Customer parent, LocalDate issueDate, Period period, java.util.Currency currency, int graceHours) {
        Money zero = Money.zero(currency);
        String key = ConsolidatedInvoiceRepository.billingKey(parent.id(), issueDate, consolidated.countFor(tenantId, parent.id(), issueDate) + 1);
        Invoice draft = new Invoice(Ids.next("inv"), parent.id(), null, key, null, InvoiceStatus.DRAFT, zero, zero, issueDate,
                issueDate.plusDays(parent.paymentTerms().netDays()), period == null ? null : period.start(), period == null ? null : period.end(),
                time.systemNow(), null, List.of());
        Instant finalizeAfter = time.now(tenantId, parent).plus(Duration.ofHours(graceHours));
        if (!invoices.insert(tenantId, draft, finalizeAfter)) {
            throw new IllegalStateException("Consolidated invoice " + key + " of tenant " + tenantId + " exists although none was open");
        }
        events.record(tenantId, EventSnapshots.invoice(EventTypes.INVOICE_CREATED, draft, time.systemNow()));
        return draft;
    }

    private static InvoiceLine renumbered(InvoiceLine line, int offset) {
        LineTax t = line.tax();
        return t == null || t.group() == null || offset == 0 ? line : line.withTax(new LineTax(t.group() + offset, t.vatCategory(), t.country(), t.region()));
    }
}

package dev.accrue.app.billing;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.coupon.InvoiceDiscounts;
import dev.accrue.app.creditwallet.InvoiceCreditWallets;
import dev.accrue.app.credit.InvoiceCreditConsumption;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.invoice.ProformaInvoicing;
import dev.accrue.app.tax.DocumentTaxes;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.catalog.Invoicing;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The finalization stage: turns lines into a document. A draft is inserted under its billing key (unique per
 * tenant, so a period is invoiced once even when runs race), finalized at once or after the tenant's grace
 * period with the tenant's next gapless number, and — for a prepaid customer — paid from the wallet as far as
 * it goes. Every document of a subscription, whatever made its lines, is issued here — a consolidated child's lines
 * as a section of its parent's invoice ({@link ConsolidatedInvoices}).
 */
public final class InvoiceIssuer {
    private final DomainEvents events;
    private static final String STATUS_FINALIZED = "finalized";
    private final Transactions tx;
    private final InvoiceRepository invoices;
    private final CustomerRepository customers;
    private final TenantRepository tenants;
    private final ProformaInvoicing proformas;
    private final CustomerTime time;
    private final AuditLog audit;
    private final InvoiceCreditConsumption credits;
    private final DocumentTaxes taxes;
    private final InvoiceDiscounts discounts;
    private final InvoiceCreditWallets creditWallets;
    private final ConsolidatedInvoices consolidated;
    private WalletService wallets;

    public InvoiceIssuer(Transactions tx, InvoiceRepository invoices, CustomerRepository customers, TenantRepository tenants,
                         ProformaInvoicing proformas, CustomerTime time, AuditLog audit, InvoiceCreditConsumption credits, DocumentTaxes taxes,
                         InvoiceDiscounts discounts, DomainEvents events, InvoiceCreditWallets creditWallets,
                         ConsolidatedInvoiceRepository consolidatedInvoices) {
        this.consolidated = new ConsolidatedInvoices(consolidatedInvoices, invoices, customers, taxes, discounts, time, events);
        this.creditWallets = creditWallets;
        this.events = events;
        this.taxes = taxes;
        this.discounts = discounts;
        this.credits = credits;
        this.tx = tx;
        this.invoices = invoices;
        this.customers = customers;
        this.tenants = tenants;
        this.proformas = proformas;
        this.time = time;
        this.audit = audit;
    }

    /** Lets prepaid customers' invoices be paid from their wallets (the wallet service is built after billing). */
    public void useWallets(WalletService wallets) {
        this.wallets = wallets;
    }

    /** How the tenant rounds invoice lines. */
    public RoundingPolicy rounding(String tenantId) {
        return new RoundingPolicy(tenants.find(tenantId).orElseThrow().settings().roundingMode());
    }

    /** Issues the document {@code plan} asks for: a proforma first ({@code invoicing: proforma_first}) or an invoice. */
    public Invoice issueFor(Plan plan, String tenantId, Customer customer, String subscriptionId, String billingKey, LocalDate issueDate,
                            Period period, List<InvoiceLine> lines) {
        if (plan.invoicing() == Invoicing.PROFORMA_FIRST) {
            // coupons discount the proforma as they would the invoice, before tax: once paid, the proforma is that invoice,
            // lines and all (a rerun of the same billing key writes nothing, so it applies no coupon either)
            List<InvoiceLine> discounted = invoices.billed(tenantId, billingKey) ? lines
                    : discounts.apply(tenantId, customer.id(), subscriptionId, billingKey, lines, period, () -> rounding(tenantId));
            var taxed = taxes.apply(tenantId, customer, subscriptionId, discounted, period, rounding(tenantId));
            return proformas.issue(tenantId, customer, subscriptionId, billingKey, issueDate, period, taxed.lines(), taxed.subtotal(), taxed.total());
        }
        return issue(tenantId, customer, subscriptionId, billingKey, issueDate, period, lines, UsageWindows.PERIOD);
    }

    /**
     * Creates and finalizes an invoice for {@code lines}; for a prepaid customer the wallet pays what it can —
     * first the usage of the {@code usageCadence} windows it already drew in real time, then the rest from the
     * balance — and the invoice carries that as a negative "prepaid" line, so its total is what is still owed
     * (0 when the wallet covered it, and the invoice is then paid). Null when its billing key was already
     * invoiced (a concurrent or repeated run), in which case nothing is written.
     */
    public Invoice issue(String tenantId, Customer customer, String subscriptionId, String billingKey, LocalDate issueDate,
                         Period period, List<InvoiceLine> lines, String usageCadence) {
        if (!customer.invoicedToId().equals(customer.id())) {
            // a consolidated child's charges are a section of its parent's invoice of the day, not a document of their own
            return consolidated.addSection(tenantId, customer, subscriptionId, billingKey, issueDate, period, lines, rounding(tenantId),
                    tenants.find(tenantId).orElseThrow().settings().invoiceGraceHours());
        }
        if (invoices.billed(tenantId, billingKey)) {
            return null; // its billing key was invoiced by an earlier run, which recorded it
        }
        String id = Ids.next("inv");
        boolean prepaid = wallets != null && WalletService.prepaid(customer);
        Priced priced = price(tenantId, customer, subscriptionId, billingKey, id, id, period, lines, !prepaid);
        lines = priced.lines();
        var subtotal = priced.subtotal();
        var total = priced.total();
        if (prepaid) {
            // the subscription's row lock is held, so no other run can insert this billing key meanwhile
            var paid = wallets.payInvoice(tenantId, customer, subscriptionId, usageCadence == null ? null : UsageWindows.prefix(usageCadence), issueDate,
                    total, id, "Invoice of " + issueDate + (period == null ? "" : " for " + period.start() + " to " + period.end().minusDays(1)));
            if (!paid.isZero()) {
                lines = new ArrayList<>(lines);
                // a negative invoice (usage credited after a correction) gives the money back to the wallet
                String label = paid.isNegative() ? "Credited to prepaid balance" : "Paid from prepaid balance";
                lines.add(new InvoiceLine(InvoiceLine.PREPAID, null, label, period, BigDecimal.ONE, paid.negate(), paid.negate()));
                total = total.minus(paid);
            }
        }
        Invoice draft = new Invoice(id, customer.id(), subscriptionId, billingKey, null, InvoiceStatus.DRAFT,
                subtotal, total, issueDate, issueDate.plusDays(customer.paymentTerms().netDays()),
                period == null ? null : period.start(), period == null ? null : period.end(), time.systemNow(), null, List.copyOf(lines));
        int graceHours = tenants.find(tenantId).orElseThrow().settings().invoiceGraceHours();
        Instant finalizeAfter = time.now(tenantId, customer).plus(Duration.ofHours(graceHours));
        if (graceHours > 0) {
            if (!invoices.insert(tenantId, draft, finalizeAfter)) {
                return null;
            }
            events.record(tenantId, EventSnapshots.invoice(EventTypes.INVOICE_CREATED, draft, time.systemNow()));
            return draft; // stays a draft, so late items can still land; a later run finalizes and numbers it
        }
        // finalized at once: numbered first and written final, one statement instead of an insert and an update
        String number = nextNumber(tenantId);
        var finalizedAt = time.systemNow();
        Invoice finalized = new Invoice(draft.id(), draft.customerId(), draft.subscriptionId(), draft.billingKey(), number,
                InvoiceStatus.FINALIZED, draft.subtotal(), draft.total(), draft.issueDate(), draft.dueDate(), draft.periodStart(),
                draft.periodEnd(), draft.createdAt(), finalizedAt, draft.lines());
        if (!invoices.insert(tenantId, finalized, finalizeAfter)) {
            // another transaction invoiced the key since billed() looked: the number must not be lost, so this step rolls
            // back whole (with its counter bump) and the rerun finds the key billed
            throw new IllegalStateException("Billing key " + billingKey + " of tenant " + tenantId + " was invoiced concurrently");
        }
        audit.record(Caller.system(tenantId), "invoice", finalized.id(), "invoice." + STATUS_FINALIZED, null, summary(finalized));
        // created and finalized in one statement, in that order
        events.recordAll(tenantId, List.of(EventSnapshots.invoice(EventTypes.INVOICE_CREATED, draft, time.systemNow()),
                EventSnapshots.invoice(EventTypes.INVOICE_FINALIZED, finalized, finalizedAt)));
        return paidInFull(tenantId, customer, finalized);
    }

    /** Lines priced for a document: coupons' discounts, tax, customer credit, credit wallets — in that order. */
    private record Priced(List<InvoiceLine> lines, Money subtotal, Money total) {
    }

    /**
     * The pricing stages every invoice goes through, before the prepaid wallet: coupons' discount lines first (before tax and
     * before customer credit), then taxes on every charged line (so credit and wallets pay the taxed total), then the
     * customer's credit balance (recorded under {@code creditSource}; a negative total carried to it when
     * {@code carryNegative}), then credit wallets in priority order.
     */
    private Priced price(String tenantId, Customer customer, String subscriptionId, String billingKey, String invoiceId, String creditSource,
                         Period period, List<InvoiceLine> lines, boolean carryNegative) {
        lines = discounts.apply(tenantId, customer.id(), subscriptionId, billingKey, lines, period, () -> rounding(tenantId));
        var taxed = taxes.apply(tenantId, customer, subscriptionId, lines, period, rounding(tenantId));
        lines = taxed.lines();
        Money total = taxed.total();
        InvoiceLine credit = credits.consume(tenantId, customer, invoiceId, creditSource, total, period, carryNegative);
        if (credit != null) {
            lines = new ArrayList<>(lines);
            lines.add(credit);
            total = total.plus(credit.amount());
        }
        List<InvoiceLine> walletLines = creditWallets.consume(tenantId, customer, invoiceId, lines, total, period);
        if (!walletLines.isEmpty()) {
            lines = new ArrayList<>(lines);
            for (InvoiceLine l : walletLines) {
                lines.add(l);
                total = total.plus(l.amount());
            }
        }
        return new Priced(lines, taxed.subtotal(), total);
    }

    /**
     * A draft priced again from {@code lines} (its charges, recomputed by {@link DraftRegeneration}) under its own id,
     * billing key, dates and grace: the stages of {@link #price} run again, the customer credit it held given back first.
     * The caller holds the draft's row lock and has refused drafts whose wallets' draws cannot be given back exactly.
     */
    Invoice reprice(String tenantId, Customer customer, Invoice draft, List<InvoiceLine> lines) {
        Period period = draft.periodStart() == null ? null : new Period(draft.periodStart(), draft.periodEnd());
        discounts.withdraw(tenantId, draft.billingKey());
        String creditSource = credits.giveBackForRepricing(tenantId, customer, draft.id());
        Priced priced = price(tenantId, customer, draft.subscriptionId(), draft.billingKey(), draft.id(), creditSource, period, lines, true);
        Invoice regenerated = new Invoice(draft.id(), draft.customerId(), draft.subscriptionId(), draft.billingKey(), null, InvoiceStatus.DRAFT,
                priced.subtotal(), priced.total(), draft.issueDate(), draft.dueDate(), draft.periodStart(), draft.periodEnd(), draft.createdAt(),
                null, List.copyOf(priced.lines()));
        invoices.replaceDraft(tenantId, regenerated);
        return regenerated;
    }

    /** Finalizes the drafts whose grace period has passed (in each customer's own time), in batches claimed with SKIP LOCKED. */
    public int finalizeDueDrafts(int batchSize) {
        int total = 0;
        while (true) {
            int n = tx.inTransaction(() -> {
                var due = invoices.claimDraftsDue(time.systemNow(), batchSize);
                due.forEach(d -> finalizeDraft(Caller.system(d.tenantId()), d.tenantId(), d.invoiceId()));
                return due.size();
            });
            total += n;
            if (n < batchSize) {
                return total;
            }
        }
    }

    /** Finalizes the drafts of a test clock's customers whose grace period has passed on the clock. */
    public void finalizeDraftsOnTestClock(String tenantId, String testClockId, Instant clockTime) {
        tx.run(() -> invoices.draftsDueOnTestClock(tenantId, testClockId, clockTime)
                .forEach(d -> finalizeDraft(Caller.system(d.tenantId()), d.tenantId(), d.invoiceId())));
    }

    /** Numbers and finalizes a draft whose row the caller's transaction holds (claimed, or locked by {@link DraftInvoices}). */
    void finalizeDraft(Caller caller, String tenantId, String invoiceId) {
        invoices.finalize(tenantId, invoiceId, nextNumber(tenantId), time.systemNow());
        Invoice finalized = invoices.find(tenantId, invoiceId).orElseThrow();
        audit.record(caller, "invoice", invoiceId, "invoice." + STATUS_FINALIZED, null, summary(finalized));
        events.record(tenantId, EventSnapshots.invoice(EventTypes.INVOICE_FINALIZED, finalized, time.systemNow()));
        paidInFull(tenantId, customers.find(tenantId, finalized.customerId()).orElseThrow(), finalized);
    }

    private String nextNumber(String tenantId) {
        return "INV-%06d".formatted(invoices.nextNumber(tenantId));
    }

    /** A prepaid customer's invoice that the wallet covered owes nothing: it is paid as soon as it is final. */
    private Invoice paidInFull(String tenantId, Customer customer, Invoice finalized) {
        if (wallets == null || !WalletService.prepaid(customer) || !finalized.total().isZero()) {
            return finalized;
        }
        invoices.settle(tenantId, finalized.id(), "paid", time.systemNow());
        return invoices.find(tenantId, finalized.id()).orElseThrow();
    }

    private static Map<String, Object> summary(Invoice i) {
        return Map.of("number", i.number(), "total", i.total().toPlainMinorString(), "currency",
                i.total().currency().getCurrencyCode(), "billing_key", i.billingKey());
    }
}

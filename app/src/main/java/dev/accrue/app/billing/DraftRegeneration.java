package dev.accrue.app.billing;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.credit.InvoiceCreditConsumption;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.subscription.PendingItems;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Regenerating a subscription's period draft before it is numbered ({@code POST /v1/invoices/{id}/regenerate}): the draft
 * keeps its id, billing key, dates and grace, and its lines are recomputed from the subscription as it stands —
 * <ul>
 *   <li>its in-advance recurring fees priced again (a price override fixed since);</li>
 *   <li>the usage windows it billed re-priced through the one mechanism that owns "billed vs. usage now"
 *       ({@link UsageInvoicing#adjustments}): usage that arrived late, was corrected or cancelled lands on this draft as
 *       adjustment lines instead of on the next document;</li>
 *   <li>items parked for the next invoice since it was written (a one-off charge, a proration) join it;</li>
 *   <li>then coupons, tax, customer credit and credit wallets run again ({@link InvoiceIssuer#reprice}), what the draft had
 *       counted on coupons and drawn from customer credit given back first.</li>
 * </ul>
 * Lines of the closed period other than usage (in-arrears fees, contact counts, add-ons, phase fees) stay as written.
 * Refused, nothing written ({@code invoice_not_regenerable}): a draft that is not a subscription's period invoice, whose
 * subscription has billed a later period, ended, or changed plan, catalog version, interval or quantity since (that change
 * was charged on its own, by proration), and drafts holding money that cannot be given back exactly here (a prepaid
 * customer's, one paid by a credit wallet, one that carried a negative total to customer credit). Exactly once: the
 * subscription's row and then the draft's are locked, and a regeneration with nothing new writes the same draft again.
 */
public final class DraftRegeneration {
    /** Lines derived from the charges when a document is priced; a regeneration derives them again. */
    private static final Set<String> DERIVED = Set.of(InvoiceLine.DISCOUNT, InvoiceLine.TAX, InvoiceLine.TAX_INCLUDED, InvoiceLine.CREDIT,
            InvoiceLine.PREPAID);

    private final Transactions tx;
    private final InvoiceRepository invoices;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final DraftTermsRepository terms;
    private final BillingService billing;
    private final UsageInvoicing usage;
    private final BilledUsageRepository billed;
    private final PendingItems pending;
    private final InvoiceIssuer issuer;
    private final InvoiceCreditConsumption credits;
    private final CustomerTime time;
    private final AuditLog audit;
    private final DomainEvents events;

    public DraftRegeneration(Transactions tx, InvoiceRepository invoices, SubscriptionRepository subscriptions, CustomerRepository customers,
                             DraftTermsRepository terms, BillingService billing, UsageInvoicing usage, BilledUsageRepository billed,
                             PendingItems pending, InvoiceIssuer issuer, InvoiceCreditConsumption credits, CustomerTime time, AuditLog audit,
                             DomainEvents events) {
        this.tx = tx;
        this.invoices = invoices;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.terms = terms;
        this.billing = billing;
        this.usage = usage;
        this.billed = billed;
        this.pending = pending;
        this.issuer = issuer;
        this.credits = credits;
        this.time = time;
        this.audit = audit;
        this.events = events;
    }

    public Invoice regenerate(Caller caller, String invoiceId) {
        caller.requireWrite();
        String tenantId = caller.tenantId();
        return tx.inTransaction(() -> {
            Invoice found = invoices.find(tenantId, invoiceId).orElseThrow(() -> AccrueException.notFound("invoice", invoiceId));
            // the subscription's row first, as a billing run takes it, then the draft's: the finalization job skips a locked draft
            Subscription sub = found.subscriptionId() == null ? null : subscriptions.findForUpdate(tenantId, found.subscriptionId()).orElseThrow();
            if (!invoices.lockDraft(tenantId, invoiceId)) {
                Invoice now = invoices.find(tenantId, invoiceId).orElseThrow();
                throw new AccrueException(ErrorCode.INVOICE_NOT_DRAFT, "status", "Invoice " + invoiceId + " is "
                        + now.status().name().toLowerCase(Locale.ROOT) + "; only a draft can be regenerated");
            }
            Invoice draft = invoices.find(tenantId, invoiceId).orElseThrow();
            Customer customer = customers.find(tenantId, draft.customerId()).orElseThrow();
            refuseInexact(tenantId, draft, sub, customer);
            List<InvoiceLine> lines = recomputed(tenantId, draft, sub, customer);
            UsageInvoicing.Bill corrections = usageCorrections(tenantId, draft, sub, customer);
            lines.addAll(corrections.lines());
            Invoice regenerated = issuer.reprice(tenantId, customer, draft, lines);
            pending.attach(tenantId, sub.id(), draft.id());
            usage.record(tenantId, sub.id(), corrections, draft.id(), time.systemNow());
            audit.record(caller, "invoice", draft.id(), "invoice.regenerated", summary(draft), summary(regenerated));
            events.record(tenantId, EventSnapshots.invoice(EventTypes.INVOICE_REGENERATED, regenerated, time.systemNow()));
            return invoices.find(tenantId, invoiceId).orElseThrow();
        });
    }

    private void refuseInexact(String tenantId, Invoice draft, Subscription sub, Customer customer) {
        var written = sub == null ? null : terms.find(tenantId, draft.id()).orElse(null);
        if (written == null) {
            throw notRegenerable(draft, "only a subscription's period invoice can be regenerated (void or credit others and invoice again)");
        }
        if (sub.endedOn() != null || !draft.periodEnd().equals(sub.billedThrough())) {
            throw notRegenerable(draft, "subscription " + sub.id() + " has " + (sub.endedOn() != null ? "ended" : "billed a later period") + " since");
        }
        if (!written.equals(DraftTermsRepository.Terms.of(sub))) {
            throw notRegenerable(draft, "subscription " + sub.id() + " changed plan, interval or quantity since; that change was charged on its own");
        }
        if (WalletService.prepaid(customer)) {
            throw notRegenerable(draft, "a prepaid customer's invoice is paid from the wallet when it is written");
        }
        if (draft.lines().stream().anyMatch(l -> InvoiceLine.CREDIT.equals(l.kind()) && l.chargeCode() != null)) {
            throw notRegenerable(draft, "it was paid in part by a credit wallet");
        }
        if (credits.carried(tenantId, customer.id(), draft.id())) {
            throw notRegenerable(draft, "it carried a negative total to customer credit");
        }
    }

    /**
     * The draft's charges with its in-advance recurring fees priced again where they stood, then the items parked since.
     * A period that opened paused (no recurring fee) stays so.
     */
    private List<InvoiceLine> recomputed(String tenantId, Invoice draft, Subscription sub, Customer customer) {
        Period period = new Period(draft.periodStart(), draft.periodEnd());
        RoundingPolicy rounding = billing.rounding(tenantId);
        Plan plan = billing.plan(tenantId, sub);
        List<InvoiceLine> fees = RecurringBilling.linesFor(sub, billing.phases().billedDuring(tenantId, sub, plan, period), customer.currency(),
                period, rounding);
        List<InvoiceLine> lines = new ArrayList<>();
        boolean placed = false;
        for (InvoiceLine l : draft.lines()) {
            if (DERIVED.contains(l.kind())) {
                continue;
            }
            if (InvoiceLine.RECURRING.equals(l.kind()) && period.equals(l.servicePeriod())) {
                if (!placed) {
                    lines.addAll(fees);
                    placed = true;
                }
                continue;
            }
            lines.add(l.withTax(null));
        }
        lines.addAll(pending.open(tenantId, sub.id()));
        return lines;
    }

    /** The windows the draft billed, re-priced against usage now (and whatever else is dirty, as the next document would). */
    private UsageInvoicing.Bill usageCorrections(String tenantId, Invoice draft, Subscription sub, Customer customer) {
        billed.markDirtyBilledBy(tenantId, sub.id(), draft.id());
        return usage.adjustments(tenantId, sub, billing.plan(tenantId, sub), customer, billing.rounding(tenantId),
                List.of(UsageInvoicing.PERIOD, UsageInvoicing.TRIAL), time.systemNow());
    }

    private static AccrueException notRegenerable(Invoice draft, String why) {
        return new AccrueException(ErrorCode.INVOICE_NOT_REGENERABLE, "id", "Draft " + draft.id() + " cannot be regenerated: " + why);
    }

    private static Map<String, Object> summary(Invoice i) {
        return Map.of("total", i.total().toPlainMinorString(), "currency", i.total().currency().getCurrencyCode(), "lines", i.lines().size(),
                "billing_key", i.billingKey());
    }
}

package dev.accrue.app.subscription.pause;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.billing.InvoiceIssuer;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.subscription.PauseBilling;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The billing run's view of pauses: whether a boundary falls in a pause (its period then bills no recurring or counted
 * fees), and the resume — by hand, or automatic on {@code resume_on}, performed by the run on that day — which charges the
 * rest of a period whose boundary passed while paused ({@link PauseBilling}), on an invoice of its own keyed
 * {@code pau_…:resume}, so it is billed once.
 */
public final class PausedBilling {
    private final PauseRepository pauses;
    private final CatalogService catalogs;
    private final InvoiceIssuer issuer;
    private final CustomerTime time;
    private final AuditLog audit;
    private final DomainEvents events;

    public PausedBilling(PauseRepository pauses, CatalogService catalogs, InvoiceIssuer issuer, CustomerTime time, AuditLog audit, DomainEvents events) {
        this.pauses = pauses;
        this.catalogs = catalogs;
        this.issuer = issuer;
        this.time = time;
        this.audit = audit;
        this.events = events;
    }

    /** Whether {@code day} (a boundary) falls inside a pause of the subscription. */
    public boolean paused(String tenantId, String subscriptionId, LocalDate day) {
        return pauses.forSubscription(tenantId, subscriptionId).stream().anyMatch(p -> p.covers(day));
    }

    /** Whether the subscription reads {@code paused} on {@code day} (the status shown in the API, portal and console). */
    public boolean pausedOn(String tenantId, String subscriptionId, LocalDate day) {
        return pauses.forSubscription(tenantId, subscriptionId).stream().anyMatch(p -> p.holds(day));
    }

    /** Performs an automatic resume dated on or before {@code through} (the customer's today and the next unbilled boundary). */
    public void resumeDue(String tenantId, Subscription sub, Customer customer, LocalDate through, List<Invoice> issued) {
        var open = pauses.openForUpdate(tenantId, sub.id());
        if (open.isPresent() && open.get().resumeOn() != null && !open.get().resumeOn().isAfter(through)) {
            resume(tenantId, sub, customer, open.get(), open.get().resumeOn(), Caller.system(tenantId), issued);
        }
    }

    /** Ends {@code pause} on {@code on}: records it and invoices the rest of the period already passed while paused. */
    public Invoice resume(String tenantId, Subscription sub, Customer customer, SubscriptionPause pause, LocalDate on, Caller caller, List<Invoice> issued) {
        pauses.resume(tenantId, pause.id(), on);
        Plan plan = sub.overrides().applyTo(catalogs.catalog(tenantId, sub.catalogVersion()).plan(sub.planCode()).orElseThrow());
        List<InvoiceLine> lines = PauseBilling.resumeLines(sub, plan, customer.currency(), on, issuer.rounding(tenantId));
        Invoice invoice = null;
        if (!lines.isEmpty()) {
            Period period = new Period(lines.getFirst().servicePeriod().start(), lines.getFirst().servicePeriod().end());
            invoice = issuer.issueFor(plan, tenantId, customer, sub.id(), pause.id() + ":resume", on, period, lines);
            if (invoice != null) {
                issued.add(invoice);
            }
        }
        audit.record(caller, "subscription", sub.id(), "subscription.resumed", null, Map.of("pause_id", pause.id(), "resumed_on", on.toString()));
        events.record(tenantId, EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CHANGED, sub, time.systemNow(),
                Map.of("change", "resumed", "pause_id", pause.id(), "resumed_on", on.toString())));
        return invoice;
    }
}

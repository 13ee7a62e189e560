package dev.accrue.app.billing;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.credit.InvoiceCreditConsumption;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.app.subscription.PendingItems;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.invoice.InvoiceTotals;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Bills what is due. For one subscription, inside one transaction holding its row: while its next billing
 * date has come (in the customer's time), apply what takes effect on that boundary (a pending downgrade, a
 * cancellation), invoice the new period in advance together with parked items, finalize the invoice with the
 * tenant's next gapless number, and move on. An invoice's billing key is unique in the database, so a period
 * is invoiced once even if two runs race; a crash rolls back the whole step and a rerun redoes it.
 */
public final class BillingService {
    private static final String STATUS_FINALIZED = "finalized";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BillingService.class);
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final InvoiceRepository invoices;
    private final PendingItems pending;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final CustomerTime time;
    private final AuditLog audit;
    private final TenantRepository tenants;
    private final UsageRepository usage;
    private WalletService wallets;
    private final List<AddOnBilling> extras = new ArrayList<>();
    private final AddOnBilling addOns = new AddOnBilling() {
        @Override
        public List<dev.accrue.core.addon.GrantedAllowance> grants(String tenantId, Subscription sub, Period window) {
            return extras.stream().flatMap(e -> e.grants(tenantId, sub, window).stream()).toList();
        }

        @Override
        public List<InvoiceLine> linesDueOn(String tenantId, Subscription sub, Customer customer, LocalDate boundary) {
            return extras.stream().flatMap(e -> e.linesDueOn(tenantId, sub, customer, boundary).stream()).toList();
        }

        @Override
        public void billRemaining(String tenantId, Subscription sub, Customer customer, LocalDate today) {
            extras.forEach(e -> e.billRemaining(tenantId, sub, customer, today));
        }
    };
    private final dev.accrue.app.contact.CountedBilling counted;
    private final dev.accrue.app.invoice.ProformaInvoicing proformas;
    private final InvoiceCreditConsumption credits;

    public BillingService(Transactions tx, SubscriptionRepository subscriptions, InvoiceRepository invoices, PendingItems pending,
                          CustomerRepository customers, CatalogService catalogs, CustomerTime time, AuditLog audit, TenantRepository tenants,
                          UsageRepository usage, dev.accrue.app.contact.CountedBilling counted, dev.accrue.app.invoice.ProformaInvoicing proformas,
                          InvoiceCreditConsumption credits) {
        this.credits = credits;
        this.counted = counted;
        this.proformas = proformas;
        this.tenants = tenants;
        this.usage = usage;
        this.tx = tx;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.pending = pending;
        this.customers = customers;
        this.catalogs = catalogs;
        this.time = time;
        this.audit = audit;
    }

    /**
     * Runs every due subscription of real-time customers, in batches claimed with SKIP LOCKED so several nodes
     * share the work; returns the number of invoices issued. A batch that fails is retried one subscription
     * per transaction, and a subscription that still fails is logged and left for the next run.
     */
    public int runDue(int batchSize) {
        int issued = 0;
        java.util.Set<String> failed = new java.util.HashSet<>();
        while (true) {
            List<SubscriptionRepository.DueSubscription> claimed = new ArrayList<>();
            try {
                issued += tx.inTransaction(() -> {
                    claimed.addAll(subscriptions.claimDue(time.systemNow(), batchSize, failed));
                    int n = 0;
                    for (var d : claimed) {
                        n += billDue(d.tenantId(), d.subscriptionId()).size();
                    }
                    return n;
                });
            } catch (RuntimeException batchFailure) {
                for (var d : claimed) {
                    try {
                        issued += billDue(d.tenantId(), d.subscriptionId()).size();
                    } catch (RuntimeException e) {
                        LOG.error("Billing subscription {} of tenant {} failed; it stays due", d.subscriptionId(), d.tenantId(), e);
                        failed.add(d.subscriptionId());
                    }
                }
            }
            if (claimed.size() < batchSize) {
                finalizeDueDrafts(batchSize);
                return issued;
            }
        }
    }

    /** Bills one subscription up to its customer's today. */
    public List<Invoice> billDue(String tenantId, String subscriptionId) {
        return billThrough(tenantId, subscriptionId, null);
    }

    /**
     * Bills one subscription as if its customer's today were {@code asOf} (null: the real today). Only
     * {@link UpcomingInvoice} passes a future date, inside a transaction it rolls back.
     */
    List<Invoice> billThrough(String tenantId, String subscriptionId, LocalDate asOf) {
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(tenantId, subscriptionId).orElseThrow();
            Customer customer = customers.find(tenantId, sub.customerId()).orElseThrow();
            LocalDate today = asOf != null ? asOf : time.today(tenantId, customer);
            List<Invoice> issued = new ArrayList<>();
            RoundingPolicy rounding = rounding(tenantId);
            Subscription before = sub;
            while (sub.endedOn() == null && !sub.nextBillDate().isAfter(today)) {
                LocalDate boundary = sub.nextBillDate();
                // usage of the period that closes here is billed in arrears, on the plan that was in force during it
                List<InvoiceLine> usageLines = List.of();
                if (sub.billedThrough() != null && boundary.equals(sub.billedThrough())) {
                    Period closed = sub.periodContaining(boundary.minusDays(1));
                    usageLines = usageLines(tenantId, sub, closed, customer, rounding, ResetCadence.BILLING_PERIOD);
                }
                if (sub.cancelAtPeriodEnd() && sub.billedThrough() != null && boundary.equals(sub.billedThrough())) {
                    if (!usageLines.isEmpty()) {
                        Invoice last = issueFor(plan(tenantId, sub), tenantId, customer, sub.id(), sub.id() + ":" + boundary, boundary, null, usageLines);
                        if (last != null) {
                            issued.add(last);
                        }
                    }
                    sub = sub.with(sub.catalogVersion(), sub.planCode(), null, true, sub.cancelReason(), boundary);
                    break;
                }
                if (sub.pendingPlanCode() != null) {
                    int version = catalogs.current(tenantId, boundary.atStartOfDay(customer.timeZone()).toInstant()).version().version();
                    sub = sub.with(version, sub.pendingPlanCode(), null, sub.cancelAtPeriodEnd(), sub.cancelReason(), null);
                }
                if (sub.pendingQuantity() != null) {
                    sub = sub.withQuantity(sub.pendingQuantity());
                }
                if (sub.pendingInterval() != null) {
                    sub = sub.withInterval(sub.pendingInterval(), boundary);
                }
                Period period = sub.periodContaining(boundary);
                Plan plan = plan(tenantId, sub);
                List<InvoiceLine> lines = new ArrayList<>(pending.open(tenantId, sub.id()));
                var late = usage.pendingLate(tenantId, sub.id());
                lines.addAll(adjustmentLines(tenantId, sub, customer, rounding, late));
                lines.addAll(usageLines);
                lines.addAll(RecurringBilling.linesFor(sub, plan, customer.currency(), period, rounding));
                lines.addAll(counted.linesFor(tenantId, sub, plan, customer, period, rounding));
                lines.addAll(addOns.linesDueOn(tenantId, sub, customer, boundary));
                if (!lines.isEmpty()) {
                    Invoice invoice = issueFor(plan, tenantId, customer, sub.id(), sub.id() + ":" + boundary, boundary, period, lines);
                    if (invoice != null) {
                        pending.attach(tenantId, sub.id(), invoice.id());
                        issued.add(invoice);
                    }
                }
                if (!late.isEmpty()) {
                    var carrier = issued.isEmpty() ? null : issued.getLast();
                    usage.markAdjusted(tenantId, late.stream().map(UsageRepository.LateEvent::eventId).toList(),
                            carrier == null || !carrier.billingKey().equals(sub.id() + ":" + boundary) ? "no-charge" : carrier.id());
                }
                sub = sub.billed(period.end(), period.end());
            }
            if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
                billLateUsageAfterEnd(tenantId, sub, customer, today, rounding, issued);
            }
            sub = billWeeklyUsage(tenantId, sub, customer, today, rounding, issued);
            addOns.billRemaining(tenantId, sub, customer, today);
            if (wallets != null) {
                wallets.sendMonthlyStatement(tenantId, customer, today);
            }
            if (!sub.equals(before)) {
                subscriptions.update(tenantId, sub, time.systemNow());
            }
            return issued;
        });
    }

    /**
     * Late usage of already-invoiced periods, as labelled adjustments: for each such period, what its usage
     * lines cost now minus what they cost without the late events — so allowances and caps are honoured
     * exactly as if the events had arrived on time. Rated on the subscription's current plan.
     */
    private List<InvoiceLine> adjustmentLines(String tenantId, Subscription sub, Customer customer, RoundingPolicy rounding,
                                              List<UsageRepository.LateEvent> late) {
        List<InvoiceLine> out = new ArrayList<>();
        java.util.Map<Period, List<UsageRepository.LateEvent>> byPeriod = new java.util.TreeMap<>(java.util.Comparator.comparing(Period::start));
        late.forEach(e -> byPeriod.computeIfAbsent(sub.periodContaining(e.day()), p -> new ArrayList<>()).add(e));
        Plan current = plan(tenantId, sub);
        var catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        byPeriod.forEach((period, events) -> {
            Plan plan = counted.withDerivedAllowances(tenantId, sub, customer, current, period);
            java.util.Map<String, List<UsageBilling.DayUsage>> with = new java.util.HashMap<>();
            java.util.Map<String, List<UsageBilling.DayUsage>> without = new java.util.HashMap<>();
            for (String metric : events.stream().map(UsageRepository.LateEvent::metric).distinct().toList()) {
                var rows = usage.daily(tenantId, sub.id(), metric, period.start(), period.end());
                with.put(metric, rows.stream().map(d -> new UsageBilling.DayUsage(d.day(), d.dimensionKey(), d.quantity())).toList());
                without.put(metric, rows.stream().map(d -> {
                    BigDecimal lateHere = events.stream().filter(e -> e.metric().equals(metric) && e.day().equals(d.day())
                            && e.dimensionKey().equals(d.dimensionKey())).map(UsageRepository.LateEvent::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                    return new UsageBilling.DayUsage(d.day(), d.dimensionKey(), d.quantity().subtract(lateHere));
                }).toList());
            }
            Plan windowPlan = planFor(tenantId, sub, period);
            var now = UsageBilling.linesFor(windowPlan, catalog, sub.overrides(), period, with, customer.currency(), rounding);
            var before = UsageBilling.linesFor(windowPlan, catalog, sub.overrides(), period, without, customer.currency(), rounding);
            for (String charge : now.stream().map(InvoiceLine::chargeCode).distinct().toList()) {
                var amountNow = InvoiceTotals.subtotal(customer.currency(), now.stream().filter(l -> l.chargeCode().equals(charge)).toList());
                var amountBefore = InvoiceTotals.subtotal(customer.currency(), before.stream().filter(l -> l.chargeCode().equals(charge)).toList());
                var quantity = events.stream().filter(e -> plan.charge(charge).map(c -> c instanceof dev.accrue.core.catalog.MeteredCharge m
                        && m.metric().equals(e.metric())).orElse(false)).map(UsageRepository.LateEvent::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                var delta = amountNow.minus(amountBefore);
                if (!delta.isZero()) {
                    out.add(new InvoiceLine(InvoiceLine.ADJUSTMENT, charge, "Adjustment: " + quantity.toPlainString() + " usage for " + period
                            + " arrived or corrected after it was invoiced", period, quantity, delta, delta));
                }
            }
        });
        return out;
    }

    /**
     * Late usage for the periods of a subscription that has ended: no period invoice follows any more, so it is
     * invoiced on its own as labelled adjustments.
     */
    private void billLateUsageAfterEnd(String tenantId, Subscription sub, Customer customer, LocalDate today, RoundingPolicy rounding,
                                       List<Invoice> issued) {
        var late = usage.pendingLate(tenantId, sub.id());
        if (late.isEmpty()) {
            return;
        }
        List<InvoiceLine> lines = adjustmentLines(tenantId, sub, customer, rounding, late);
        Invoice invoice = lines.isEmpty() ? null
                : issue(tenantId, customer, sub.id(), sub.id() + ":late:" + late.getLast().eventId(), today, null, lines, UsageWindows.PERIOD);
        if (invoice != null) {
            issued.add(invoice);
        }
        usage.markAdjusted(tenantId, late.stream().map(UsageRepository.LateEvent::eventId).toList(), invoice == null ? "no-charge" : invoice.id());
    }

    /** The metered lines of a window (closed, or running: priced on what arrived so far), read from the daily aggregates. */
    public List<InvoiceLine> usageLines(String tenantId, Subscription sub, Period closed, Customer customer, RoundingPolicy rounding,
                                         ResetCadence cadence) {
        Plan plan = counted.withDerivedAllowances(tenantId, sub, customer, planFor(tenantId, sub, closed), closed);
        var catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        java.util.Map<String, List<UsageBilling.DayUsage>> byMetric = new java.util.HashMap<>();
        for (var charge : plan.charges()) {
            if (charge instanceof dev.accrue.core.catalog.MeteredCharge m && !byMetric.containsKey(m.metric())) {
                var aggregation = catalog.metric(m.metric()).orElseThrow().aggregation();
                if (aggregation == dev.accrue.core.catalog.Aggregation.TIME_WEIGHTED_SUM) {
                    // one value for the whole period: the gauge's time-weighted average (GB stored over the period)
                    BigDecimal average = usage.timeWeightedAverage(tenantId, sub.id(), m.metric(), closed.startInstant(customer.timeZone()),
                            closed.endInstant(customer.timeZone()));
                    byMetric.put(m.metric(), List.of(new UsageBilling.DayUsage(closed.start(), "", average)));
                    continue;
                }
                List<UsageRepository.DailyUsage> rows;
                if (aggregation == dev.accrue.core.catalog.Aggregation.UNIQUE_COUNT) {
                    // a distinct count per allowance window: a value seen in two windows counts in each (monthly active callers on a yearly plan)
                    rows = new ArrayList<>();
                    for (Period w : UsageBilling.windows(m.allowances(), closed)) {
                        rows.addAll(usage.firstSeen(tenantId, sub.id(), m.metric(), w.start(), w.end()));
                    }
                } else {
                    rows = usage.daily(tenantId, sub.id(), m.metric(), closed.start(), closed.end());
                }
                byMetric.put(m.metric(), rows.stream()
                        .map(d -> new UsageBilling.DayUsage(d.day(), d.dimensionKey(), switch (aggregation) {
                            case MAX -> d.maxQuantity();
                            case LATEST -> d.latestQuantity();
                            default -> d.quantity();
                        })).toList());
            }
        }
        return UsageBilling.linesFor(plan, catalog, sub.overrides(), closed, byMetric, customer.currency(), rounding, cadence);
    }

    /**
     * Usage invoiced on its own weekly cadence (pay-as-you-go SMS): each closed week is invoiced in arrears on its
     * last boundary; with {@code cut_at_month_start} a week that would cross the 1st is cut there, so that part is
     * invoiced on the 1st and the weekly cadence then continues.
     */
    private Subscription billWeeklyUsage(String tenantId, Subscription sub, Customer customer, LocalDate today, RoundingPolicy rounding,
                                         List<Invoice> issued) {
        Plan plan = plan(tenantId, sub);
        var weekly = plan.charges().stream().filter(c -> c instanceof dev.accrue.core.catalog.MeteredCharge m && m.invoiceCadence() == ResetCadence.WEEK)
                .map(c -> (dev.accrue.core.catalog.MeteredCharge) c).toList();
        if (weekly.isEmpty() || today.isBefore(sub.anchor())) {
            return sub;
        }
        boolean cut = weekly.stream().anyMatch(dev.accrue.core.catalog.MeteredCharge::cutAtMonthStart);
        var schedule = new dev.accrue.core.time.BillingSchedule(sub.anchor(), dev.accrue.core.time.BillingInterval.WEEK, sub.alignment(), cut);
        LocalDate limit = sub.endedOn() != null && sub.endedOn().isBefore(today) ? sub.endedOn() : today;
        LocalDate from = sub.usageInvoicedThrough() == null ? sub.anchor() : sub.usageInvoicedThrough();
        while (from.isBefore(limit)) {
            Period week = schedule.periodContaining(from);
            if (week.end().isAfter(limit)) {
                break; // the week is still running
            }
            List<InvoiceLine> lines = usageLines(tenantId, sub, week, customer, rounding, ResetCadence.WEEK);
            if (!InvoiceTotals.subtotal(customer.currency(), lines).isZero()) {
                Invoice invoice = issue(tenantId, customer, sub.id(), sub.id() + ":usage:" + week.start(), week.end(), week, lines, UsageWindows.WEEK);
                if (invoice != null) {
                    issued.add(invoice);
                }
            }
            sub = sub.withUsageInvoicedThrough(week.end());
            from = week.end();
        }
        boolean running = sub.endedOn() == null || from.isBefore(sub.endedOn());
        subscriptions.setNextUsageDate(tenantId, sub.id(), running ? schedule.periodContaining(from).end() : null);
        return sub;
    }

    /** Lets add-ons and rentals grant allowances and bill their charges (wired after both exist). */
    public void useAddOns(AddOnBilling more) {
        extras.add(more);
    }

    /** The plan as billed in one usage window: the subscription's plan with what its add-ons grant there. */
    /** What add-ons (packages, bundles, rentals) grant the subscription in a usage window, each with its source. */
    public List<dev.accrue.core.addon.GrantedAllowance> grants(String tenantId, Subscription sub, Period window) {
        return addOns.grants(tenantId, sub, window);
    }

    public Plan planFor(String tenantId, Subscription sub, Period window) {
        return dev.accrue.core.addon.AddOnAllowances.apply(plan(tenantId, sub), addOns.grants(tenantId, sub, window));
    }

    /** Lets prepaid customers' invoices be paid from their wallets (wired after both exist). */
    public void useWallets(WalletService wallets) {
        this.wallets = wallets;
    }

    /** How the tenant rounds invoice lines. */
    public RoundingPolicy rounding(String tenantId) {
        return new RoundingPolicy(tenants.find(tenantId).orElseThrow().settings().roundingMode());
    }

    /**
     * Finalizes the drafts whose grace period has passed (in each customer's own time), in batches claimed with
     * SKIP LOCKED; returns how many were finalized.
     */
    public int finalizeDueDrafts(int batchSize) {
        int total = 0;
        while (true) {
            int n = tx.inTransaction(() -> {
                var due = invoices.claimDraftsDue(time.systemNow(), batchSize);
                due.forEach(d -> finalizeDraft(d.tenantId(), d.invoiceId()));
                return due.size();
            });
            total += n;
            if (n < batchSize) {
                return total;
            }
        }
    }

    /** Finalizes the drafts of a test clock's customers whose grace period has passed on the clock. */
    public void finalizeDraftsOnTestClock(String tenantId, String testClockId, java.time.Instant clockTime) {
        tx.run(() -> invoices.draftsDueOnTestClock(tenantId, testClockId, clockTime).forEach(d -> finalizeDraft(d.tenantId(), d.invoiceId())));
    }

    private void finalizeDraft(String tenantId, String invoiceId) {
        String number = "INV-%06d".formatted(invoices.nextNumber(tenantId));
        invoices.finalize(tenantId, invoiceId, number, time.systemNow());
        Invoice finalized = invoices.find(tenantId, invoiceId).orElseThrow();
        audit.record(Caller.system(tenantId), "invoice", invoiceId,
                "invoice." + STATUS_FINALIZED, null, summary(finalized));
        paidInFull(tenantId, customers.find(tenantId, finalized.customerId()).orElseThrow(), finalized);
    }

    /** A prepaid customer's invoice that the wallet covered owes nothing: it is paid as soon as it is final. */
    private Invoice paidInFull(String tenantId, Customer customer, Invoice finalized) {
        if (wallets == null || !WalletService.prepaid(customer) || !finalized.total().isZero()) {
            return finalized;
        }
        invoices.settle(tenantId, finalized.id(), "paid", time.systemNow());
        return invoices.find(tenantId, finalized.id()).orElseThrow();
    }

    /** The plan a subscription is billed on: its catalog version's plan with the subscription's overrides. */
    public Plan plan(String tenantId, Subscription sub) {
        Plan plan = catalogs.catalog(tenantId, sub.catalogVersion()).plan(sub.planCode()).orElseThrow();
        return sub.overrides().applyTo(plan);
    }

    /**
     * Creates and finalizes an invoice for {@code lines}; null when its billing key was already invoiced
     * (a concurrent or repeated run), in which case nothing is written.
     */
    public Invoice issue(String tenantId, Customer customer, String subscriptionId, String billingKey, LocalDate issueDate,
                         Period period, List<InvoiceLine> lines) {
        return issue(tenantId, customer, subscriptionId, billingKey, issueDate, period, lines, null);
    }

    /**
     * As {@link #issue(String, Customer, String, String, LocalDate, Period, List)}; for a prepaid customer the
     * wallet pays what it can — first the usage of the {@code usageCadence} windows it already drew in real
     * time, then the rest from the balance — and the invoice carries that as a negative "prepaid" line, so its
     * total is what is still owed (0 when the wallet covered it, and the invoice is then paid).
     */
    public Invoice issue(String tenantId, Customer customer, String subscriptionId, String billingKey, LocalDate issueDate,
                         Period period, List<InvoiceLine> lines, String usageCadence) {
        var subtotal = InvoiceTotals.subtotal(customer.currency(), lines);
        String id = Ids.next("inv");
        var total = subtotal;
        boolean alreadyBilled = invoices.billed(tenantId, billingKey);
        InvoiceLine credit = alreadyBilled ? null : credits.consume(tenantId, customer, id, subtotal, period);
        if (credit != null) {
            lines = new ArrayList<>(lines);
            lines.add(credit);
            total = total.plus(credit.amount());
        }
        boolean prepaid = wallets != null && WalletService.prepaid(customer);
        if (prepaid && !alreadyBilled) {
            // the subscription's row lock is held, so no other run can insert this billing key meanwhile
            var paid = wallets.payInvoice(tenantId, customer, subscriptionId, usageCadence == null ? null : UsageWindows.prefix(usageCadence), issueDate, total, id,
                    "Invoice of " + issueDate + (period == null ? "" : " for " + period.start() + " to " + period.end().minusDays(1)));
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
        java.time.Instant finalizeAfter = time.now(tenantId, customer).plus(java.time.Duration.ofHours(graceHours));
        if (!invoices.insert(tenantId, draft, finalizeAfter)) {
            return null;
        }
        if (graceHours > 0) {
            return draft; // stays a draft, so late items can still land; a later run finalizes and numbers it
        }
        String number = "INV-%06d".formatted(invoices.nextNumber(tenantId));
        var finalizedAt = time.systemNow();
        invoices.finalize(tenantId, draft.id(), number, finalizedAt);
        Invoice finalized = new Invoice(draft.id(), draft.customerId(), draft.subscriptionId(), draft.billingKey(), number,
                InvoiceStatus.FINALIZED, draft.subtotal(), draft.total(), draft.issueDate(), draft.dueDate(), draft.periodStart(),
                draft.periodEnd(), draft.createdAt(), finalizedAt, draft.lines());
        audit.record(Caller.system(tenantId), "invoice", finalized.id(),
                "invoice." + STATUS_FINALIZED, null, summary(finalized));
        return paidInFull(tenantId, customer, finalized);
    }

    /** Issues the document {@code plan} asks for: a proforma first ({@code invoicing: proforma_first}) or an invoice. */
    public Invoice issueFor(Plan plan, String tenantId, Customer customer, String subscriptionId, String billingKey, LocalDate issueDate,
                            Period period, List<InvoiceLine> lines) {
        return plan.invoicing() == dev.accrue.core.catalog.Invoicing.PROFORMA_FIRST
                ? proformas.issue(tenantId, customer, subscriptionId, billingKey, issueDate, period, lines)
                : issue(tenantId, customer, subscriptionId, billingKey, issueDate, period, lines, UsageWindows.PERIOD);
    }

    /** Counted charges (contacts): their lines at renewal, derived allowances and upgrade proration. */
    public dev.accrue.app.contact.CountedBilling counted() {
        return counted;
    }

    private static java.util.Map<String, Object> summary(Invoice i) {
        return java.util.Map.of("number", i.number(), "total", i.total().toPlainMinorString(), "currency",
                i.total().currency().getCurrencyCode(), "billing_key", i.billingKey());
    }
}

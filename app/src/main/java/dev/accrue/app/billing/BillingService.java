package dev.accrue.app.billing;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.pricechange.PriceMigrationsAtBoundary;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.contact.CountedBilling;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.phase.PhaseBilling;
import dev.accrue.app.subscription.PendingItems;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.subscription.scheduled.DueScheduledActions;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.addon.GrantedAllowance;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.catalog.TrialUsage;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.IntervalChanges;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bills what is due. For one subscription, inside one transaction holding its row: while its next billing
 * date has come (in the customer's time), close the period ending there (its usage and in-arrears fees, or the
 * trial's usage), apply what takes effect on that boundary (a pending downgrade, a cancellation), invoice the
 * new period in advance together with parked items, and move on; then the usage of charges on their own
 * cadence, and the final usage document of a subscription that ended. The stages live apart: usage windows and
 * their record in {@link UsageInvoicing}, own cadences in {@link OwnCadenceUsage}, documents in {@link InvoiceIssuer}.
 * An invoice's billing key is unique in the database, so a period is invoiced once even if two runs race; a
 * crash rolls back the whole step and a rerun redoes it.
 */
public final class BillingService {
    private final DomainEvents events;
    private static final Logger LOG = LoggerFactory.getLogger(BillingService.class);
    private static final List<String> PERIOD_CADENCES = List.of(UsageInvoicing.PERIOD, UsageInvoicing.TRIAL);
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final PendingItems pending;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final CustomerTime time;
    private final CountedBilling counted;
    private final UsageInvoicing usage;
    private final OwnCadenceUsage ownCadences;
    private final BilledUsageRepository billed;
    private final InvoiceIssuer issuer;
    private final AddOnBilling addOns;
    private final PhaseBilling phases;
    private final DueScheduledActions scheduled;
    private final PriceMigrationsAtBoundary priceMigrations;
    private final DraftTermsRepository draftTerms;
    private WalletService wallets;

    public BillingService(Transactions tx, SubscriptionRepository subscriptions, PendingItems pending, CustomerRepository customers,
                          CatalogService catalogs, CustomerTime time, CountedBilling counted, UsageInvoicing usage, OwnCadenceUsage ownCadences,
                          BilledUsageRepository billed, InvoiceIssuer issuer, AddOnBilling addOns, DomainEvents events, PhaseBilling phases,
                          DueScheduledActions scheduled, PriceMigrationsAtBoundary priceMigrations, DraftTermsRepository draftTerms) {
        this.draftTerms = draftTerms;
        this.priceMigrations = priceMigrations;
        this.events = events;
        this.phases = phases;
        this.scheduled = scheduled;
        this.tx = tx;
        this.subscriptions = subscriptions;
        this.pending = pending;
        this.customers = customers;
        this.catalogs = catalogs;
        this.time = time;
        this.counted = counted;
        this.usage = usage;
        this.ownCadences = ownCadences;
        this.billed = billed;
        this.issuer = issuer;
        this.addOns = addOns;
    }

    /**
     * Runs every due subscription of real-time customers, in batches claimed with SKIP LOCKED so several nodes
     * share the work; returns the number of invoices issued. A batch that fails is retried one subscription
     * per transaction, and a subscription that still fails is logged and left for the next run.
     */
    public int runDue(int batchSize) {
        return runDue(batchSize, RunProgress.NONE);
    }

    /** {@link #runDue(int)}, telling {@code progress} of each subscription once what it did is committed. */
    public int runDue(int batchSize, RunProgress progress) {
        int issued = 0;
        Set<String> failed = new HashSet<>();
        while (true) {
            List<SubscriptionRepository.DueSubscription> claimed = new ArrayList<>();
            List<Integer> invoices = new ArrayList<>();
            try {
                issued += tx.inTransaction(() -> {
                    invoices.clear();
                    claimed.addAll(subscriptions.claimDue(time.systemNow(), batchSize, failed));
                    int n = 0;
                    for (var d : claimed) {
                        int k = billDue(d.tenantId(), d.subscriptionId()).size();
                        invoices.add(k);
                        n += k;
                    }
                    return n;
                });
                BillingPaths.billed(BillingPaths.BATCH, claimed.size());
                for (int i = 0; i < claimed.size(); i++) {
                    progress.billed(claimed.get(i), invoices.get(i));
                }
            } catch (RuntimeException batchFailure) {
                if (!claimed.isEmpty()) {
                    LOG.warn("A billing batch of {} subscriptions failed; billing them one at a time", claimed.size(), batchFailure);
                    BillingPaths.fellBack();
                }
                for (var d : claimed) {
                    try {
                        int k = billDue(d.tenantId(), d.subscriptionId()).size();
                        issued += k;
                        BillingPaths.billed(BillingPaths.ONE_AT_A_TIME, 1);
                        progress.billed(d, k);
                    } catch (RuntimeException e) {
                        LOG.error("Billing subscription {} of tenant {} failed; it stays due", d.subscriptionId(), d.tenantId(), e);
                        failed.add(d.subscriptionId());
                        progress.failed(d, e);
                    }
                }
            }
            if (claimed.size() < batchSize) {
                issuer.finalizeDueDrafts(batchSize);
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
            RoundingPolicy rounding = issuer.rounding(tenantId);
            Subscription before = sub;
            // dated actions (plan, quantity, cancellation) take effect on their day, between the boundaries billed here
            sub = scheduled.applyDue(tenantId, sub, customer, today, issued);
            while (sub.endedOn() == null && !sub.nextBillDate().isAfter(today)) {
                LocalDate boundary = sub.nextBillDate();
                Plan closingPlan = plan(tenantId, sub);
                // what closes here is billed in arrears, on the plan that was in force during it
                UsageInvoicing.Bill closing = usage.adjustments(tenantId, sub, closingPlan, customer, rounding, PERIOD_CADENCES, time.systemNow())
                        .plus(closing(tenantId, sub, closingPlan, customer, boundary, rounding));
                sub = phases.atBoundary(tenantId, sub, closingPlan, boundary); // a fixed term ending here moves on or ends
                if (sub.cancelAtPeriodEnd() && boundary.equals(sub.billedThrough())) {
                    // items parked for the next invoice (a progressive invoice's deduction, a proration) go on this last one
                    Invoice last = issueAndRecord(tenantId, sub, closingPlan, customer, sub.id() + ":" + boundary, boundary, null,
                            pending.open(tenantId, sub.id()), closing, List.of(), issued);
                    if (last != null) {
                        pending.attach(tenantId, sub.id(), last.id());
                    }
                    sub = sub.with(sub.catalogVersion(), sub.planCode(), null, true, sub.cancelReason(), boundary);
                    events.record(tenantId, EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CANCELLED, sub, time.systemNow(), Map.of("effective_on", boundary.toString())));
                    subscriptions.markUsageClosed(tenantId, sub.id());
                    break;
                }
                if (sub.pendingPlanCode() != null) {
                    int version = catalogs.current(tenantId, boundary.atStartOfDay(customer.timeZone()).toInstant()).version().version();
                    sub = sub.with(version, sub.pendingPlanCode(), null, sub.cancelAtPeriodEnd(), sub.cancelReason(), null);
                    events.record(tenantId, EventSnapshots.subscription(EventTypes.SUBSCRIPTION_DOWNGRADE_EFFECTIVE, sub, time.systemNow(), Map.of("previous_plan", closingPlan.code(), "effective_on", boundary.toString())));
                }
                if (sub.pendingQuantity() != null) {
                    sub = sub.withQuantity(sub.pendingQuantity());
                }
                sub = priceMigrations.atBoundary(tenantId, sub, boundary, time.systemNow()); // a newer version's prices, after notice
                if (sub.pendingInterval() != null) {
                    sub = sub.withInterval(sub.pendingInterval(), boundary);
                }
                if (sub.pendingBillingCycleDay() != null) {
                    sub = sub.withBillingCycleDay(sub.pendingBillingCycleDay(), boundary); // the next period bridges to the new day
                }
                Period period = sub.periodContaining(boundary);
                Plan plan = plan(tenantId, sub);
                List<InvoiceLine> opening = new ArrayList<>();
                boolean paused = scheduled.paused(tenantId, sub, boundary); // a paused subscription's periods bill no fixed fees
                if (!paused) {
                    opening.addAll(RecurringBilling.linesFor(sub, phases.billedDuring(tenantId, sub, plan, period), customer.currency(), period, rounding));
                }
                opening.addAll(phases.feesOpening(tenantId, sub, plan, period, sub.billedThrough() == null, customer.currency()));
                if (!paused) {
                    opening.addAll(counted.linesFor(tenantId, sub, plan, customer, period, rounding));
                }
                opening.addAll(addOns.linesDueOn(tenantId, sub, customer, boundary));
                Invoice invoice = issueAndRecord(tenantId, sub, plan, customer, sub.id() + ":" + boundary, boundary, period,
                        pending.open(tenantId, sub.id()), closing, opening, issued);
                if (invoice != null) {
                    pending.attach(tenantId, sub.id(), invoice.id());
                    if (invoice.status() == InvoiceStatus.DRAFT) {
                        draftTerms.record(tenantId, invoice.id(), DraftTermsRepository.Terms.of(sub)); // what a regeneration reprices with
                    }
                }
                sub = sub.billed(period.end(), period.end());
                sub = scheduled.applyDue(tenantId, sub, customer, today, issued);
            }
            if (sub.endedOn() != null) {
                sub = scheduled.applyDue(tenantId, sub, customer, today, issued); // what was dated after the end will not happen
            }
            Plan plan = plan(tenantId, sub);
            sub = ownCadences.bill(tenantId, sub, plan, customer, today, rounding, issued, time.systemNow());
            if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
                closeEnded(tenantId, sub, plan, customer, today, rounding, issued);
            }
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
     * What closes on {@code boundary}: the trial's usage on the first boundary (when the plan bills it), or the
     * period that ends there — its usage and its in-arrears fees.
     */
    private UsageInvoicing.Bill closing(String tenantId, Subscription sub, Plan plan, Customer customer, LocalDate boundary, RoundingPolicy rounding) {
        if (sub.billedThrough() == null) {
            Period trial = ChargeWindows.trial(sub);
            return trial != null && plan.trialUsage() == TrialUsage.BILLED && !trial.end().isAfter(boundary)
                    ? usage.window(tenantId, sub, plan, customer, trial, UsageInvoicing.TRIAL, rounding) : UsageInvoicing.Bill.NONE;
        }
        if (!boundary.equals(sub.billedThrough())) {
            return UsageInvoicing.Bill.NONE;
        }
        Period closed = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, boundary.minusDays(1));
        return periodEnd(tenantId, sub, plan, customer, closed, rounding);
    }

    /** A served period's usage (charges invoiced with the period) and its in-arrears recurring fees. */
    private UsageInvoicing.Bill periodEnd(String tenantId, Subscription sub, Plan catalogPlan, Customer customer, Period served, RoundingPolicy rounding) {
        Plan plan = phases.billedDuring(tenantId, sub, catalogPlan, served); // in-arrears fees and minimums at the price of the phase served
        return usage.window(tenantId, sub, plan, customer, served, UsageInvoicing.PERIOD, rounding)
                .plus(new UsageInvoicing.Bill(RecurringBilling.arrearsLinesFor(sub, plan, customer.currency(), served, rounding), List.of()));
    }

    /**
     * An ended subscription: its last window (cut at the end day) is invoiced at once, with its in-arrears fees and
     * whatever was parked for a next invoice — the final invoice — and usage that changes later in any billed window
     * is invoiced as adjustments.
     */
    private void closeEnded(String tenantId, Subscription sub, Plan plan, Customer customer, LocalDate today, RoundingPolicy rounding,
                            List<Invoice> issued) {
        UsageInvoicing.Bill bill = UsageInvoicing.Bill.NONE;
        String key = sub.id() + ":adjustments:" + Ids.next("adj");
        List<InvoiceLine> parked = List.of();
        if (!subscriptions.usageClosed(tenantId, sub.id())) {
            parked = pending.open(tenantId, sub.id()); // prorations parked for a next invoice that will not come
            LocalDate lastDay = sub.endedOn().minusDays(1);
            if (!lastDay.isBefore(sub.startDate())) {
                boolean inTrial = lastDay.isBefore(sub.anchor());
                Period last = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, lastDay);
                String cadence = inTrial ? UsageInvoicing.TRIAL : UsageInvoicing.PERIOD;
                if (!billed.billed(tenantId, sub.id(), cadence, last.start())) {
                    bill = !inTrial ? periodEnd(tenantId, sub, plan, customer, last, rounding)
                            : plan.trialUsage() == TrialUsage.BILLED ? usage.window(tenantId, sub, plan, customer, last, cadence, rounding)
                            : UsageInvoicing.Bill.NONE;
                }
            }
            key = sub.id() + ":final";
            subscriptions.markUsageClosed(tenantId, sub.id());
        }
        bill = bill.plus(usage.adjustments(tenantId, sub, plan, customer, rounding, List.of(), time.systemNow()));
        Invoice invoice = issueAndRecord(tenantId, sub, plan, customer, key, today, null, parked, bill, List.of(), issued);
        if (invoice != null && !parked.isEmpty()) {
            pending.attach(tenantId, sub.id(), invoice.id());
        }
    }

    /**
     * Issues one document: parked items, what closed ({@code closing}: adjustments, usage and in-arrears fees, with
     * their record) and what opens; records what it billed. Nothing is issued when there are no lines — the
     * closed windows are still recorded as billed.
     */
    private Invoice issueAndRecord(String tenantId, Subscription sub, Plan plan, Customer customer, String billingKey, LocalDate issueDate,
                                   Period period, List<InvoiceLine> parked, UsageInvoicing.Bill closing, List<InvoiceLine> opening,
                                   List<Invoice> issued) {
        List<InvoiceLine> lines = new ArrayList<>(parked);
        lines.addAll(closing.lines());
        lines.addAll(opening);
        Invoice invoice = null;
        if (!lines.isEmpty()) {
            invoice = issuer.issueFor(plan, tenantId, customer, sub.id(), billingKey, issueDate, period, lines);
            if (invoice == null) {
                return null; // issued by an earlier run, which recorded it
            }
            issued.add(invoice);
        }
        usage.record(tenantId, sub.id(), closing, invoice == null ? null : invoice.id(), time.systemNow());
        return invoice;
    }

    /**
     * An interval change that takes effect on {@code day} (inside a paid period, in the caller's transaction holding the
     * subscription's row): the period is cut there and what it served closes — its usage and in-arrears fees for the days up
     * to {@code day} —, its in-advance fees give back their unused days ({@link IntervalChanges}), and the schedule restarts on
     * the new interval at {@code day}, whose first period is invoiced at once. All on one invoice, with whatever was parked.
     */
    public Subscription changeIntervalNow(String tenantId, Subscription sub, Customer customer, BillingInterval interval, LocalDate day) {
        return changeIntervalNow(tenantId, sub, customer, interval, day, new ArrayList<>());
    }

    /** {@link #changeIntervalNow}, adding the invoice it issues to {@code issued} (what its preview shows). */
    public Subscription changeIntervalNow(String tenantId, Subscription sub, Customer customer, BillingInterval interval, LocalDate day,
                                          List<Invoice> issued) {
        RoundingPolicy rounding = issuer.rounding(tenantId);
        Plan plan = plan(tenantId, sub);
        Period cut = sub.periodContaining(day);
        List<InvoiceLine> opening = new ArrayList<>(IntervalChanges.unusedCredit(sub, phases.billedDuring(tenantId, sub, plan, cut), day, interval,
                customer.currency(), rounding));
        UsageInvoicing.Bill closing = day.isAfter(cut.start())
                ? periodEnd(tenantId, sub, plan, customer, new Period(cut.start(), day), rounding) : UsageInvoicing.Bill.NONE;
        Subscription moved = sub.withInterval(interval, day);
        Period next = moved.periodContaining(day);
        opening.addAll(RecurringBilling.linesFor(moved, phases.billedDuring(tenantId, moved, plan, next), customer.currency(), next, rounding));
        Invoice invoice = issueAndRecord(tenantId, moved, plan, customer, sub.id() + ":interval:" + day, day, next,
                pending.open(tenantId, sub.id()), closing, opening, issued);
        if (invoice != null) {
            pending.attach(tenantId, sub.id(), invoice.id());
        }
        return moved.billed(next.end(), next.end());
    }

    // ---- the stages' entry points other use cases call ----

    /** The metered lines of one window for the charges of {@code cadence}, priced on what arrived so far (prepaid drawdown). */
    public List<InvoiceLine> usageLines(String tenantId, Subscription sub, Period window, Customer customer, RoundingPolicy rounding,
                                        ResetCadence cadence) {
        return usageLines(tenantId, sub, planFor(tenantId, sub, window), window, customer, rounding, cadence);
    }

    /** {@link #usageLines} on {@code inForce}, the window's {@link #planFor} a caller already resolved (a usage view). */
    public List<InvoiceLine> usageLines(String tenantId, Subscription sub, Plan inForce, Period window, Customer customer, RoundingPolicy rounding,
                                        ResetCadence cadence) {
        return usage.lines(tenantId, sub, inForce, customer, window, rounding, m -> m.invoiceCadence() == cadence);
    }

    /** {@link #usageLines} priced on the usage dated before {@code until} only (a calendar-month budget's cut in a billing period). */
    public List<InvoiceLine> usageLinesUntil(String tenantId, Subscription sub, Period window, Customer customer, RoundingPolicy rounding,
                                             ResetCadence cadence, LocalDate until) {
        return usage.linesUntil(tenantId, sub, planFor(tenantId, sub, window), customer, window, rounding, m -> m.invoiceCadence() == cadence, until);
    }

    /** What add-ons (packages, bundles, rentals) grant the subscription in a usage window, each with its source. */
    public List<GrantedAllowance> grants(String tenantId, Subscription sub, Period window) {
        return addOns.grants(tenantId, sub, window);
    }

    /** The plan as billed in one usage window: the subscription's plan with what its add-ons grant and charge there. */
    public Plan planFor(String tenantId, Subscription sub, Period window) {
        return usage.planFor(tenantId, sub, plan(tenantId, sub), window);
    }

    /** The plan a subscription is billed on: its catalog version's plan with the subscription's overrides. */
    public Plan plan(String tenantId, Subscription sub) {
        Plan plan = catalogs.catalog(tenantId, sub.catalogVersion()).plan(sub.planCode()).orElseThrow();
        return sub.overrides().applyTo(plan);
    }

    /** The plan as billed for the period holding {@code day} (its introductory prices while they run), what changes and refunds price against. */
    public Plan planBilledOn(String tenantId, Subscription sub, LocalDate day) {
        Plan plan = plan(tenantId, sub);
        return day.isBefore(sub.anchor()) ? plan : phases.billedDuring(tenantId, sub, plan, sub.periodContaining(day));
    }

    /** Plan phases: their dates, the prices and fees of each, the term's end. */
    public PhaseBilling phases() {
        return phases;
    }

    /** Lets prepaid customers' invoices be paid from their wallets (wired after both exist). */
    public void useWallets(WalletService wallets) {
        this.wallets = wallets;
        issuer.useWallets(wallets);
    }

    public RoundingPolicy rounding(String tenantId) {
        return issuer.rounding(tenantId);
    }

    public int finalizeDueDrafts(int batchSize) {
        return issuer.finalizeDueDrafts(batchSize);
    }

    public void finalizeDraftsOnTestClock(String tenantId, String testClockId, Instant clockTime) {
        issuer.finalizeDraftsOnTestClock(tenantId, testClockId, clockTime);
    }

    public Invoice issue(String tenantId, Customer customer, String subscriptionId, String billingKey, LocalDate issueDate,
                         Period period, List<InvoiceLine> lines) {
        return issuer.issue(tenantId, customer, subscriptionId, billingKey, issueDate, period, lines, null);
    }

    public Invoice issueFor(Plan plan, String tenantId, Customer customer, String subscriptionId, String billingKey, LocalDate issueDate,
                            Period period, List<InvoiceLine> lines) {
        return issuer.issueFor(plan, tenantId, customer, subscriptionId, billingKey, issueDate, period, lines);
    }

    /** Counted charges (contacts): their lines at renewal, derived allowances and upgrade proration. */
    public CountedBilling counted() {
        return counted;
    }
}

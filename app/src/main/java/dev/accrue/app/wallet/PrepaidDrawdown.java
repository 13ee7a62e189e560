package dev.accrue.app.wallet;

import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.UsageWindows;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.metering.BatchRead;
import dev.accrue.app.metering.IngestionLookups;
import dev.accrue.app.metering.UsageListener;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceTotals;
import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.catalog.TrialUsage;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.time.Period;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Draws prepaid wallets down in real time: when usage of a prepaid customer is stored, each usage window it
 * falls in is priced again — with the very pricing the invoice of that window will use (allowances, tiers,
 * caps), and only once the wallet is locked (see {@link WalletService#drawUsage}) — and the wallet pays the
 * difference from what it already paid for the window. Runs right after the batch's commit in a transaction
 * of its own (inside the caller's when ingestion joins one). Wallets are locked in customer order, so
 * concurrent batches cannot deadlock.
 */
public final class PrepaidDrawdown implements UsageListener {
    private final WalletRepository wallets;
    private final WalletService walletService;
    private final CustomerRepository customers;
    private final SubscriptionRepository subscriptions;
    private final BillingService billing;

    public PrepaidDrawdown(WalletRepository wallets, WalletService walletService, CustomerRepository customers, SubscriptionRepository subscriptions,
                           BillingService billing) {
        this.wallets = wallets;
        this.walletService = walletService;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.billing = billing;
    }

    /** Not used: {@code MeteringService} tells the listeners with what the batch's validation read (or its lookups). */
    @Override
    public void accepted(String tenantId, List<MeteredEvent> stored) {
        throw new IllegalStateException("The drawdown is told with the batch's read: which of its customers are prepaid");
    }

    /**
     * {@code read.prepaid()}: which customers are prepaid, as the batch's validation read them (remembered for at most
     * {@link IngestionLookups#REMEMBER}): a change made on another node may go unseen that long; the usage it misses is
     * drawn with the next batch of that customer (a window is re-priced whole) or settled by its invoice, as any drawdown
     * that fails.
     */
    @Override
    public void accepted(String tenantId, List<MeteredEvent> stored, BatchRead read) {
        Set<String> prepaid = read.prepaid();
        if (prepaid.isEmpty()) {
            return;
        }
        // customer → subscription → days touched, in a fixed order
        Map<String, Map<String, Set<LocalDate>>> touched = new TreeMap<>();
        for (MeteredEvent e : stored) {
            if (prepaid.contains(e.customerId())) {
                touched.computeIfAbsent(e.customerId(), c -> new TreeMap<>()).computeIfAbsent(e.subscriptionId(), s -> new TreeSet<>()).add(e.day());
            }
        }
        touched.forEach((customerId, subs) -> {
            Customer customer = customers.find(tenantId, customerId).orElseThrow();
            subs.forEach((subscriptionId, days) -> draw(tenantId, customer, subscriptions.find(tenantId, subscriptionId).orElseThrow(), days));
        });
    }

    /** "June 2026" for a calendar month, the dates otherwise. */
    private static String label(Period p) {
        boolean month = p.start().getDayOfMonth() == 1 && p.end().equals(p.start().plusMonths(1));
        return month ? p.start().getMonth().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH) + " " + p.start().getYear()
                : p.start() + " to " + p.end().minusDays(1);
    }

    /**
     * Re-prices the usage windows of {@code days} (as {@link ChargeWindows} cuts them: the period, or the week of
     * a weekly charge) and has the wallet pay up to that. A free trial's usage is never drawn.
     */
    public void draw(String tenantId, Customer customer, Subscription sub, Set<LocalDate> days) {
        var rounding = billing.rounding(tenantId);
        boolean freeTrial = billing.plan(tenantId, sub).trialUsage() == TrialUsage.FREE;
        Set<Period> periods = new TreeSet<>(Comparator.comparing(Period::start));
        Set<Period> weeks = new TreeSet<>(Comparator.comparing(Period::start));
        for (LocalDate day : days) {
            if (day.isBefore(sub.anchor()) && freeTrial) {
                continue;
            }
            Period period = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, day);
            periods.add(period);
            if (!day.isBefore(sub.anchor())) {
                billing.planFor(tenantId, sub, period).charges().stream()
                        .filter(c -> c instanceof MeteredCharge m && m.invoiceCadence() == ResetCadence.WEEK)
                        .forEach(c -> weeks.add(ChargeWindows.containing(sub, (MeteredCharge) c, day)));
            }
        }
        for (Period p : periods) {
            walletService.drawUsage(tenantId, customer, sub.id(), UsageWindows.key(UsageWindows.PERIOD, p), p.end(),
                    () -> InvoiceTotals.subtotal(customer.currency(), billing.usageLines(tenantId, sub, p, customer, rounding, ResetCadence.BILLING_PERIOD)),
                    "Usage " + label(p));
        }
        for (Period w : weeks) {
            walletService.drawUsage(tenantId, customer, sub.id(), UsageWindows.key(UsageWindows.WEEK, w), w.end(),
                    () -> InvoiceTotals.subtotal(customer.currency(), billing.usageLines(tenantId, sub, w, customer, rounding, ResetCadence.WEEK)),
                    "Usage week of " + w.start());
        }
    }
}

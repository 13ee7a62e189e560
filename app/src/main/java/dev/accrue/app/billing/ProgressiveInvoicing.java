package dev.accrue.app.billing;

import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.metering.BatchRead;
import dev.accrue.app.metering.UsageListener;
import dev.accrue.app.subscription.PendingItems;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.ProgressiveBilling;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Progressive billing (issue 16): right after usage is stored, each subscription it touched whose plan (or overrides) has
 * {@code progressive_billing} is checked. When its usage amount has reached a threshold level not invoiced yet, one
 * invoice bills, per charge, the current period's usage to date less what earlier progressive invoices of the period
 * billed; the same amounts are parked, negated, for the period-end invoice, which bills the whole period as usual and so
 * deducts them. The invoice's billing key and the record's key are the threshold level, so a retried or concurrent check
 * issues nothing twice; the subscription's row lock orders it with billing runs. Everything is one transaction: a crash
 * leaves nothing half done, and the next usage of the period checks again (the period-end invoice bills whatever was not
 * invoiced early). Late usage is exact: the period-end invoice prices the whole period from the aggregates.
 */
public final class ProgressiveInvoicing implements UsageListener {
    public static final String LIFETIME = "lifetime";
    private static final Logger LOG = LoggerFactory.getLogger(ProgressiveInvoicing.class);
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final BillingService billing;
    private final PendingItems pending;
    private final ProgressiveRecords records;
    private final CustomerTime time;

    public ProgressiveInvoicing(Transactions tx, SubscriptionRepository subscriptions, CustomerRepository customers, BillingService billing,
                                PendingItems pending, ProgressiveRecords records, CustomerTime time) {
        this.tx = tx;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.billing = billing;
        this.pending = pending;
        this.records = records;
        this.time = time;
    }

    /**
     * Checks the subscriptions the stored usage touched. One read of their rows for the whole batch (plans come from the
     * cached catalogs): a batch of subscriptions without progressive billing costs that and nothing more.
     */
    @Override
    public void accepted(String tenantId, List<MeteredEvent> stored) {
        accepted(tenantId, stored, BatchRead.NONE);
    }

    /**
     * {@code read}: the subscriptions as the batch's validation read them; only those missing are read here. A plan that
     * became progressive since that read is checked from the subscription's next usage (the check itself reads the row
     * again, under its lock).
     */
    @Override
    public void accepted(String tenantId, List<MeteredEvent> stored, BatchRead read) {
        Set<String> touched = new LinkedHashSet<>();
        Set<String> customerIds = new LinkedHashSet<>();
        Map<String, Subscription> known = new LinkedHashMap<>();
        stored.forEach(e -> {
            touched.add(e.subscriptionId());
            Subscription sub = read.subscriptions().get(e.subscriptionId());
            if (sub != null) {
                known.put(sub.id(), sub);
            } else {
                customerIds.add(e.customerId());
            }
        });
        List<Subscription> progressive;
        try {
            // the usual case, every subscription already read by validation, needs no transaction at all
            List<Subscription> subs = customerIds.isEmpty() ? new ArrayList<>(known.values()) : tx.inTransaction(() -> {
                List<Subscription> all = new ArrayList<>(known.values());
                subscriptions.forCustomers(tenantId, customerIds).stream().filter(s -> !known.containsKey(s.id())).forEach(all::add);
                return all;
            });
            progressive = subs.stream().filter(s -> touched.contains(s.id()) && billing.plan(tenantId, s).progressiveBilling() != null).toList();
        } catch (RuntimeException e) {
            LOG.warn("Progressive billing checks after a usage batch failed", e);
            return;
        }
        for (Subscription sub : progressive) {
            try {
                check(tenantId, sub.id());
            } catch (RuntimeException e) {
                // the period-end invoice bills the usage anyway; the next usage of the period checks again
                LOG.warn("Progressive billing check of {} failed", sub.id(), e);
            }
        }
    }

    /** Issues the progressive invoice the subscription's usage calls for, if any; the invoice, or null. */
    public Invoice check(String tenantId, String subscriptionId) {
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.find(tenantId, subscriptionId).orElseThrow();
            Plan plan = billing.plan(tenantId, sub);
            ProgressiveBilling thresholds = plan.progressiveBilling();
            if (thresholds == null) {
                return null; // the usual case: one catalog lookup, no lock
            }
            sub = subscriptions.findForUpdate(tenantId, subscriptionId).orElseThrow();
            Customer customer = customers.find(tenantId, sub.customerId()).orElseThrow();
            LocalDate today = time.today(tenantId, customer);
            // only inside an open billing period: not in a trial, not once the period is due for its own invoice, not after the end
            if (today.isBefore(sub.anchor()) || !today.isBefore(sub.nextBillDate()) || (sub.endedOn() != null && !today.isBefore(sub.endedOn()))) {
                return null;
            }
            Period period = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, today);
            String currency = customer.currency().getCurrencyCode();
            RoundingPolicy rounding = billing.rounding(tenantId);
            Map<String, Money> toDate = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            for (InvoiceLine line : billing.usageLines(tenantId, sub, period, customer, rounding, ResetCadence.BILLING_PERIOD)) {
                toDate.merge(line.chargeCode(), line.amount(), Money::plus);
                names.putIfAbsent(line.chargeCode(), line.description().contains(":") ? line.description().substring(0, line.description().indexOf(':'))
                        : line.chargeCode());
            }
            BigDecimal periodUsage = toDate.values().stream().map(Money::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            boolean lifetime = thresholds.scope() == ProgressiveBilling.Scope.LIFETIME;
            String scopeKey = lifetime ? LIFETIME : period.start().toString();
            // lifetime: what earlier documents billed as usage, plus this period's usage to date (its progressive lines are not usage)
            BigDecimal amount = lifetime ? records.usageInvoiced(tenantId, sub.id()).add(periodUsage) : periodUsage;
            long level = thresholds.level(amount, currency);
            if (level <= records.lastLevel(tenantId, sub.id(), scopeKey)) {
                return null;
            }
            Map<String, BigDecimal> before = records.billed(tenantId, sub.id(), period.start());
            Map<String, BigDecimal> perCharge = new LinkedHashMap<>();
            List<InvoiceLine> lines = new ArrayList<>();
            String reached = amount.toPlainString() + " " + currency;
            for (var e : toDate.entrySet()) {
                BigDecimal delta = e.getValue().amount().subtract(before.getOrDefault(e.getKey(), BigDecimal.ZERO));
                if (delta.signum() == 0) {
                    continue;
                }
                perCharge.put(e.getKey(), delta);
                Money money = Money.of(delta, currency);
                lines.add(new InvoiceLine(InvoiceLine.PROGRESSIVE, e.getKey(), names.get(e.getKey()) + ": usage " + period.start() + " – " + today
                        + " not invoiced yet (progressive billing: usage reached " + reached + ")", period, BigDecimal.ONE, money, money));
            }
            Invoice invoice = null;
            if (!lines.isEmpty()) {
                invoice = billing.issueFor(plan, tenantId, customer, sub.id(), sub.id() + ":progressive:" + scopeKey + ":" + level, today, period, lines);
                if (invoice == null) {
                    return null; // issued by a concurrent check, which recorded it
                }
                for (InvoiceLine line : lines) {
                    Money back = line.amount().negate();
                    pending.add(tenantId, sub.id(), customer.id(), new InvoiceLine(InvoiceLine.PROGRESSIVE, line.chargeCode(), names.get(line.chargeCode())
                            + ": invoiced progressively on " + today + ", deducted", period, BigDecimal.ONE, back, back), time.systemNow());
                }
            }
            // a level reached with nothing new to bill (corrections took usage back) is recorded too, so it is not checked again
            records.record(tenantId, sub.id(), scopeKey, level, period.start(), perCharge.isEmpty() ? Map.of("", BigDecimal.ZERO) : perCharge,
                    invoice == null ? "" : invoice.id(), time.systemNow());
            return invoice;
        });
    }
}

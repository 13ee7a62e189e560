package dev.accrue.app.metering;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.addon.AllowanceSources;
import dev.accrue.core.addon.GrantedAllowance;
import dev.accrue.core.catalog.AddOnType;
import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.catalog.Allowance;
import dev.accrue.core.catalog.BundleExpiry;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.catalog.TrialUsage;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Usage views read the daily aggregates, never raw events. */
public final class UsageQueries {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private final Transactions tx;
    private final UsageRepository usage;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final CustomerTime time;
    private final dev.accrue.app.contact.CountedBilling counted;

    public UsageQueries(Transactions tx, UsageRepository usage, SubscriptionRepository subscriptions, CustomerRepository customers,
                        CatalogService catalogs, BillingService billing, CustomerTime time, dev.accrue.app.contact.CountedBilling counted) {
        this.counted = counted;
        this.tx = tx;
        this.usage = usage;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.time = time;
    }

    /** Read-only (see {@link Transactions#readOnly}): the day rows its pricing reads also give its totals, without a second query. */
    public UsageView current(Caller caller, String subscriptionId) {
        return tx.readOnly(() -> {
            Subscription sub = subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            var customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            if (today.isBefore(sub.startDate())) {
                throw new AccrueException(ErrorCode.VALIDATION_FAILED, "subscription", "Subscription " + subscriptionId + " has not started yet (starts " + sub.startDate() + ")");
            }
            // during a trial the window is the trial itself; its usage is free or billed on the first invoice, as the plan says
            Period period = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, today);
            boolean freeTrial = today.isBefore(sub.anchor()) && billing.plan(caller.tenantId(), sub).trialUsage() == TrialUsage.FREE;
            // the period's plan, add-ons and phases resolved once per view: pricing the cost so far takes the same one
            Plan inForce = billing.planFor(caller.tenantId(), sub, period);
            // derived allowances (emails = 4 × contacts) use the count fixed at the renewal that opened this period
            Plan plan = counted.withDerivedAllowances(caller.tenantId(), sub, customer, inForce, period);
            // the sources' own line: the subscription's plan without add-on grants, derived allowances applied
            Plan own = counted.withDerivedAllowances(caller.tenantId(), sub, customer, billing.plan(caller.tenantId(), sub), period);
            RoundingPolicy rounding = billing.rounding(caller.tenantId());
            var catalog = catalogs.catalog(caller.tenantId(), sub.catalogVersion());
            Map<String, Money> costSoFar = freeTrial ? Map.of() : costSoFar(caller.tenantId(), sub, customer, inForce, plan, period, rounding);
            List<UsageView.ChargeUsage> charges = new ArrayList<>();
            for (var charge : plan.charges()) {
                if (!(charge instanceof MeteredCharge m)) {
                    continue;
                }
                Metric metric = catalog.metric(m.metric()).orElseThrow();
                // allowances may reset inside the period (monthly minutes on a yearly plan): show the current window
                Period window = dev.accrue.core.subscription.UsageBilling.windows(m.allowances(), period).stream()
                        .filter(w -> w.contains(today)).findFirst().orElse(period);
                if (metric.aggregation() == Aggregation.TIME_WEIGHTED_SUM || metric.aggregation() == Aggregation.PERSISTENT) {
                    java.time.Instant from = period.startInstant(customer.timeZone());
                    java.time.Instant to = time.now(caller.tenantId(), customer);
                    BigDecimal average = metric.aggregation() == Aggregation.PERSISTENT
                            ? usage.unitsHeld(caller.tenantId(), sub.id(), metric.code(), from, to)
                            : usage.timeWeightedAverage(caller.tenantId(), sub.id(), metric.code(), from, to);
                    BigDecimal included = m.allowances().stream().map(Allowance::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                    charges.add(new UsageView.ChargeUsage(m.code(), metric.code(), metric.unit(), average, included,
                            included.subtract(average).max(BigDecimal.ZERO),
                            included.signum() == 0 ? null : average.multiply(HUNDRED).divide(included, 2, RoundingMode.HALF_UP), average,
                            cost(costSoFar, m, customer.currency()).toPlainMinorString(),
                            freeTrial ? free(customer) : projectedCost(m, average, included, customer.currency().getCurrencyCode(), rounding), Map.of(),
                            AllowanceSources.consume(sources(caller.tenantId(), sub, own, catalog, m, window), average)));
                    continue;
                }
                var rows = switch (metric.aggregation()) {
                    case UNIQUE_COUNT -> usage.firstSeen(caller.tenantId(), sub.id(), metric.code(), window.start(), window.end());
                    // the rows pricing just read for the cost so far (a read-only transaction remembers them): no second query
                    case SUM, COUNT, MAX -> usage.sums(caller.tenantId(), sub.id(), metric.code(), List.of(window)).getFirst();
                    default -> usage.totals(caller.tenantId(), sub.id(), metric.code(), window.start(), window.end());
                };
                BigDecimal used = fold(metric.aggregation(), rows);
                BigDecimal included = m.allowances().stream().map(Allowance::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal remaining = included.subtract(used).max(BigDecimal.ZERO);
                BigDecimal percent = included.signum() == 0 ? null : used.multiply(HUNDRED).divide(included, 2, RoundingMode.HALF_UP);
                long elapsed = ChronoUnit.DAYS.between(window.start(), today) + 1;
                BigDecimal projected = used.multiply(BigDecimal.valueOf(window.days())).divide(BigDecimal.valueOf(elapsed), MathContext.DECIMAL64)
                        .setScale(0, RoundingMode.HALF_UP);
                Map<String, BigDecimal> byDimension = new LinkedHashMap<>();
                rows.forEach(r -> byDimension.merge(r.dimensionKey(), r.quantity(), BigDecimal::add));
                Money soFar = cost(costSoFar, m, customer.currency());
                String projectedCost = freeTrial ? free(customer) : m.pricing() != null
                        ? projectedCost(m, projected, included, customer.currency().getCurrencyCode(), rounding)
                        : rounding.apply(soFar.times(BigDecimal.valueOf(window.days()))
                                .times(BigDecimal.ONE.divide(BigDecimal.valueOf(elapsed), MathContext.DECIMAL64))).toPlainMinorString();
                charges.add(new UsageView.ChargeUsage(m.code(), metric.code(), metric.unit(), used, included, remaining, percent, projected,
                        soFar.toPlainMinorString(), projectedCost, byDimension,
                        AllowanceSources.consume(sources(caller.tenantId(), sub, own, catalog, m, window), used)));
            }
            return new UsageView(sub.id(), period.start(), period.end(), today, charges);
        });
    }

    /**
     * What the period's usage so far costs per charge: the billing run's own usage lines over the running period
     * (they price on what arrived so far), once per invoicing cadence the plan's metered charges use.
     */
    private Map<String, Money> costSoFar(String tenantId, Subscription sub, Customer customer, Plan inForce, Plan plan, Period period,
                                         RoundingPolicy rounding) {
        Set<ResetCadence> cadences = new LinkedHashSet<>();
        plan.charges().forEach(c -> {
            if (c instanceof MeteredCharge m) {
                cadences.add(m.invoiceCadence());
            }
        });
        Map<String, Money> cost = new LinkedHashMap<>();
        for (ResetCadence cadence : cadences) {
            for (InvoiceLine line : billing.usageLines(tenantId, sub, inForce, period, customer, rounding, cadence)) {
                cost.merge(line.chargeCode(), line.amount(), Money::plus);
            }
        }
        return cost;
    }

    /**
     * The sources of a charge's allowance in this window: the plan's own (with enterprise overrides and derived
     * allowances), and each add-on grant on its metric, typed from the catalog, a bundle that lapses with the
     * period showing the window's end as its expiry.
     */
    private List<AllowanceSources.Source> sources(String tenantId, Subscription sub, Plan own, Catalog catalog, MeteredCharge m, Period window) {
        List<AllowanceSources.Source> out = new ArrayList<>();
        own.charge(m.code()).filter(c -> c instanceof MeteredCharge).map(c -> (MeteredCharge) c).ifPresent(base -> {
            BigDecimal quantity = base.allowances().stream().map(Allowance::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (quantity.signum() > 0) {
                out.add(new AllowanceSources.Source("plan:" + own.code(), AllowanceSources.Kind.PLAN, quantity, null));
            }
        });
        for (GrantedAllowance g : billing.grants(tenantId, sub, window)) {
            if (!g.metric().equals(m.metric())) {
                continue;
            }
            var addOn = catalog.addOn(g.source());
            boolean bundle = addOn.map(a -> a.type() == AddOnType.BUNDLE).orElse(true); // "lasting bundles" pools never-expiring bundles
            LocalDate expires = addOn.filter(a -> a.type() == AddOnType.BUNDLE && a.expiry() == BundleExpiry.END_OF_BILLING_PERIOD)
                    .map(a -> window.end()).orElse(null);
            out.add(new AllowanceSources.Source(g.source(), bundle ? AllowanceSources.Kind.BUNDLE : AllowanceSources.Kind.PACKAGE, g.quantity(), expires));
        }
        return out;
    }

    private static String free(Customer customer) {
        return Money.zero(customer.currency()).toPlainMinorString();
    }

    private static Money cost(Map<String, Money> costSoFar, MeteredCharge m, Currency currency) {
        return costSoFar.getOrDefault(m.code(), Money.zero(currency));
    }

    /** The projected usage's overage priced once, as the invoice would; only for a charge with a single price. */
    private String projectedCost(MeteredCharge m, BigDecimal projected, BigDecimal included, String currency, RoundingPolicy rounding) {
        if (m.pricing() == null || m.pricing().model().pricesTransactions()) {
            return null; // a rate per destination, or transactions whose amounts are not projected: no single price
        }
        var rated = dev.accrue.core.rating.UsageRating.rate(projected, included, m.pricing(), m.overage(), currency, rounding);
        return rated.amount().toPlainMinorString();
    }

    public List<UsageRepository.DailyUsage> daily(Caller caller, String subscriptionId, String metric, LocalDate from, LocalDate to) {
        if (from == null || to == null || !from.isBefore(to) || ChronoUnit.DAYS.between(from, to) > 400) {
            throw AccrueException.invalid("from", "from and to must be dates with from < to, at most 400 days apart");
        }
        return tx.inTransaction(() -> {
            subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            return usage.daily(caller.tenantId(), subscriptionId, metric, from, to);
        });
    }

    /** The period's value of a metric from its daily rows, by the metric's aggregation. */
    public static BigDecimal fold(Aggregation aggregation, List<UsageRepository.DailyUsage> rows) {
        return switch (aggregation) {
            case MAX -> rows.stream().map(UsageRepository.DailyUsage::maxQuantity).max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
            case LATEST -> rows.stream().max(Comparator.comparing(UsageRepository.DailyUsage::latestAt))
                    .map(UsageRepository.DailyUsage::latestQuantity).orElse(BigDecimal.ZERO);
            default -> rows.stream().map(UsageRepository.DailyUsage::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        };
    }
}

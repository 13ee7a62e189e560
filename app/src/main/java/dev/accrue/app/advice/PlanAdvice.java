package dev.accrue.app.advice;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.billing.UsageInvoicing;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.metering.UsageQueries;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.alert.Thresholds;
import dev.accrue.core.catalog.Allowance;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plan-fit advice. Looks at the last {@link #PERIODS} closed billing periods of each running subscription: when an
 * allowance was used at {@link #HIGH} % or more in the last {@link #CONSECUTIVE} periods in a row (paying overage or
 * being blocked), or below {@link #LOW} % in each of them (paying for what is not used), it re-prices those periods'
 * actual usage on every plan of the same product sold on the subscription's interval in the customer's currency —
 * with the billing run's own pricing ({@link RecurringBilling}, {@link UsageInvoicing#lines}), never a copy of it —
 * and recommends the plan that would have cost least, with every plan's figures. The current plan's figures are what
 * its invoices charged for those periods (before tax, discounts and credit; add-ons bought apart are left out, since
 * they cost the same on every plan).
 */
public final class PlanAdvice {
    public static final int PERIODS = 3;
    public static final int CONSECUTIVE = 2;
    public static final BigDecimal HIGH = BigDecimal.valueOf(90);
    public static final BigDecimal LOW = BigDecimal.valueOf(50);
    private final Transactions tx;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final UsageInvoicing usageInvoicing;
    private final UsageRepository usage;
    private final CustomerTime time;

    public PlanAdvice(Transactions tx, SubscriptionRepository subscriptions, CustomerRepository customers, CatalogService catalogs,
                      BillingService billing, UsageInvoicing usageInvoicing, UsageRepository usage, CustomerTime time) {
        this.tx = tx;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.usageInvoicing = usageInvoicing;
        this.usage = usage;
        this.time = time;
    }

    /** One allowance's use in one period. */
    public record PeriodUse(Period period, BigDecimal used, BigDecimal included, BigDecimal percentUsed) {
    }

    /** One metered charge's allowance use over the periods examined, and what it signals: high, low or neither (null). */
    public record Fit(String charge, String metric, List<PeriodUse> periods, String signal) {
    }

    /** What one period would have cost on a plan. */
    public record PeriodCost(Period period, Money recurring, Money usage, Money total) {
    }

    /** What the periods examined would have cost on a plan. */
    public record PlanCost(String plan, String name, boolean current, List<PeriodCost> periods, Money total) {
    }

    /**
     * The advice for one subscription: {@code recommendedPlan} is the cheapest plan when an allowance is used high or
     * low ({@code reason}); null when the fit is good or there is no closed period yet.
     */
    public record Advice(String subscriptionId, String currentPlan, String currency, List<Fit> fit, String recommendedPlan, String reason,
                         Money savings, List<PlanCost> plans) {
    }

    public List<Advice> advise(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            Customer customer = customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            LocalDate today = time.today(caller.tenantId(), customer);
            List<Advice> out = new ArrayList<>();
            for (Subscription sub : subscriptions.forCustomer(caller.tenantId(), customerId)) {
                boolean running = !today.isBefore(sub.startDate()) && (sub.endedOn() == null || today.isBefore(sub.endedOn()));
                if (running) {
                    out.add(advise(caller.tenantId(), customer, sub, today));
                }
            }
            return out;
        });
    }

    private Advice advise(String tenantId, Customer customer, Subscription sub, LocalDate today) {
        List<Period> periods = closedPeriods(sub, today);
        Plan current = billing.plan(tenantId, sub);
        String currency = customer.currency().getCurrencyCode();
        if (periods.isEmpty()) {
            return new Advice(sub.id(), sub.planCode(), currency, List.of(), null, "no closed billing period yet", null, List.of());
        }
        List<Fit> fit = fit(tenantId, customer, sub, periods);
        String signal = fit.stream().map(Fit::signal).filter(s -> s != null && s.equals("high")).findFirst()
                .orElse(!fit.isEmpty() && fit.stream().allMatch(f -> "low".equals(f.signal())) ? "low" : null);
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        List<PlanCost> costs = new ArrayList<>();
        costs.add(cost(tenantId, customer, sub, current, true, periods));
        for (Plan candidate : catalog.plans()) {
            if (candidate.code().equals(sub.planCode()) || !candidate.product().equals(current.product()) || candidate.interval(sub.interval()).isEmpty()) {
                continue;
            }
            try {
                costs.add(cost(tenantId, customer, sub, candidate, false, periods));
            } catch (AccrueException notSold) {
                // not priced in the customer's currency: not a plan this customer can move to
            }
        }
        costs.sort(Comparator.comparing((PlanCost c) -> c.total().amount()).thenComparing(c -> !c.current()));
        PlanCost cheapest = costs.getFirst();
        Money savings = costs.stream().filter(PlanCost::current).findFirst().orElseThrow().total().minus(cheapest.total());
        String reason = signal == null ? "every allowance was used between " + LOW.toPlainString() + " % and " + HIGH.toPlainString()
                + " % (or too few periods to tell)"
                : signal.equals("high") ? "an allowance was used at " + HIGH.toPlainString() + " % or more in the last " + CONSECUTIVE + " periods"
                : "every allowance was used below " + LOW.toPlainString() + " % in the last " + CONSECUTIVE + " periods";
        return new Advice(sub.id(), sub.planCode(), currency, fit, signal == null ? null : cheapest.plan(), reason, signal == null ? null : savings,
                costs);
    }

    /** The last closed billing periods, oldest first (trial windows excluded: their pricing is the trial's). */
    private static List<Period> closedPeriods(Subscription sub, LocalDate today) {
        List<Period> out = new ArrayList<>();
        Period p = sub.periodContaining(today);
        while (p != null && out.size() < PERIODS) {
            LocalDate before = p.start().minusDays(1);
            p = before.isBefore(sub.anchor()) || before.isBefore(sub.startDate()) ? null : sub.periodContaining(before);
            if (p != null) {
                out.addFirst(p);
            }
        }
        return out;
    }

    /** Allowance use per metered charge of the plan as billed, per period. */
    private List<Fit> fit(String tenantId, Customer customer, Subscription sub, List<Period> periods) {
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        List<Fit> out = new ArrayList<>();
        Plan last = billing.counted().withDerivedAllowances(tenantId, sub, customer, billing.planFor(tenantId, sub, periods.getLast()), periods.getLast());
        for (var c : last.charges()) {
            if (!(c instanceof MeteredCharge m) || m.allowances().isEmpty()) {
                continue;
            }
            List<PeriodUse> uses = new ArrayList<>();
            for (Period p : periods) {
                Plan plan = billing.counted().withDerivedAllowances(tenantId, sub, customer, billing.planFor(tenantId, sub, p), p);
                MeteredCharge inForce = plan.charge(m.code()).filter(x -> x instanceof MeteredCharge).map(x -> (MeteredCharge) x).orElse(m);
                BigDecimal perWindow = inForce.allowances().stream().map(Allowance::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal included = perWindow.multiply(BigDecimal.valueOf(UsageBilling.windows(inForce.allowances(), p).size()));
                var aggregation = catalog.metric(m.metric()).orElseThrow().aggregation();
                BigDecimal used = UsageQueries.fold(aggregation, usage.totals(tenantId, sub.id(), m.metric(), p.start(), p.end()));
                uses.add(new PeriodUse(p, used, included, Thresholds.percentUsed(used, included)));
            }
            List<PeriodUse> recent = uses.subList(Math.max(0, uses.size() - CONSECUTIVE), uses.size());
            String signal = null;
            if (recent.size() == CONSECUTIVE && recent.stream().allMatch(u -> u.percentUsed() != null && u.percentUsed().compareTo(HIGH) >= 0)) {
                signal = "high";
            } else if (recent.size() == CONSECUTIVE && recent.stream().allMatch(u -> u.percentUsed() != null && u.percentUsed().compareTo(LOW) < 0)) {
                signal = "low";
            }
            out.add(new Fit(m.code(), m.metric(), uses, signal));
        }
        return out;
    }

    /** The periods' actual usage re-priced on {@code plan}: its recurring lines and its usage lines, as the billing run prices them. */
    private PlanCost cost(String tenantId, Customer customer, Subscription sub, Plan plan, boolean current, List<Period> periods) {
        RoundingPolicy rounding = billing.rounding(tenantId);
        Money zero = Money.zero(customer.currency());
        List<PeriodCost> out = new ArrayList<>();
        Money total = zero;
        for (Period p : periods) {
            Money recurring = zero;
            for (InvoiceLine line : RecurringBilling.linesFor(sub, plan, customer.currency(), p, rounding)) {
                recurring = recurring.plus(line.amount());
            }
            for (InvoiceLine line : RecurringBilling.arrearsLinesFor(sub, plan, customer.currency(), p, rounding)) {
                recurring = recurring.plus(line.amount());
            }
            Money used = zero;
            for (InvoiceLine line : usageInvoicing.lines(tenantId, sub, usageInvoicing.planFor(tenantId, sub, plan, p), customer, p, rounding, m -> true)) {
                used = used.plus(line.amount());
            }
            out.add(new PeriodCost(p, recurring, used, recurring.plus(used)));
            total = total.plus(recurring).plus(used);
        }
        return new PlanCost(plan.code(), plan.name(), current, out, total);
    }
}

package dev.accrue.app.budget;

import dev.accrue.app.alert.AlertFiring;
import dev.accrue.app.alert.AlertRepository;
import dev.accrue.app.alert.CustomerCheck;
import dev.accrue.app.alert.FiredAlert;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.alert.Thresholds;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.ChargeWindows;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets and cost allocation. A budget covers the customer's current billing period (a month on a monthly plan),
 * overall or for one value of a usage dimension, in the customer's currency; its actual is the period's charges
 * (overall) or that value's share of them ({@link CostAllocation}), so the actuals of all values of a dimension
 * plus the shared and unassigned parts add up to the overall actual. Alerts fire once per period at each chosen
 * percentage, checked whenever the customer's usage moves ({@link CustomerCheck}).
 */
public final class BudgetService implements CustomerCheck {
    public static final List<BigDecimal> DEFAULT_ALERT_PERCENTS = List.of(BigDecimal.valueOf(80), BigDecimal.valueOf(100));
    private static final Pattern DIMENSION = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private final Transactions tx;
    private final BudgetRepository budgets;
    private final CustomerRepository customers;
    private final SubscriptionRepository subscriptions;
    private final CostAllocation allocation;
    private final AlertFiring firing;
    private final CustomerTime time;
    private final AuditLog audit;
    private final AlertRepository alerts;
    private static final Logger LOG = LoggerFactory.getLogger(BudgetService.class);

    public BudgetService(Transactions tx, BudgetRepository budgets, CustomerRepository customers, SubscriptionRepository subscriptions,
                         CostAllocation allocation, AlertFiring firing, AlertRepository alerts, CustomerTime time, AuditLog audit) {
        this.tx = tx;
        this.budgets = budgets;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.allocation = allocation;
        this.firing = firing;
        this.time = time;
        this.audit = audit;
        this.alerts = alerts;
    }

    /** {@code period}: {@code billing_period} (null: the default) or {@code calendar_month}, see {@link BudgetPeriod}. */
    public record NewBudget(String amount, String currency, String dimension, String dimensionValue, List<BigDecimal> alertPercents, String period) {
    }

    /** A budget against its actual in the current period (period null when no subscription is running). */
    public record Status(Budget budget, Period period, Money actual, BigDecimal percentUsed, Money remaining) {
    }

    public Budget create(Caller caller, String customerId, NewBudget body) {
        caller.requireWrite();
        if (body.amount() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "amount", "amount is required (a decimal string such as \"500.00\")");
        }
        if (body.currency() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "currency", "currency is required (the customer's)");
        }
        if ((body.dimension() == null) != (body.dimensionValue() == null)) {
            throw AccrueException.invalid(body.dimension() == null ? "dimension" : "dimension_value",
                    "give dimension and dimension_value together (a budget of team=support), or neither (an overall budget)");
        }
        if (body.dimension() != null && !DIMENSION.matcher(body.dimension()).matches()) {
            throw AccrueException.invalid("dimension", "dimension is 1-64 letters, digits, '_', '.' or '-' (a group_by property of your metrics)");
        }
        if (body.dimensionValue() != null && (body.dimensionValue().isBlank() || body.dimensionValue().length() > 256)) {
            throw AccrueException.invalid("dimension_value", "dimension_value is 1-256 characters");
        }
        BudgetPeriod period = body.period() == null ? BudgetPeriod.BILLING_PERIOD : BudgetPeriod.ofWire(body.period())
                .orElseThrow(() -> AccrueException.invalid("period", "period is billing_period (the default) or calendar_month, got '"
                        + body.period() + "'"));
        List<BigDecimal> percents = body.alertPercents() == null ? DEFAULT_ALERT_PERCENTS : body.alertPercents();
        if (percents.size() > 20) {
            throw AccrueException.invalid("alert_percents", "at most 20 alert percentages");
        }
        for (int i = 0; i < percents.size(); i++) {
            String error = Thresholds.percentError(percents.get(i));
            if (error != null) {
                throw AccrueException.invalid("alert_percents[" + i + "]", error);
            }
        }
        return tx.inTransaction(() -> {
            Customer customer = customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            if (!customer.currency().getCurrencyCode().equals(body.currency())) {
                throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "currency", "Customer " + customerId + " is billed in "
                        + customer.currency().getCurrencyCode() + "; a budget in " + body.currency() + " could never be compared with its charges");
            }
            Money amount;
            try {
                amount = Money.of(new BigDecimal(body.amount()), body.currency());
            } catch (NumberFormatException e) {
                throw AccrueException.invalid("amount", "amount must be a decimal string such as \"500.00\", got '" + body.amount() + "'");
            }
            if (!amount.isPositive() || amount.amount().scale() > amount.minorUnitDigits() || amount.amount().compareTo(BigDecimal.TEN.pow(12)) > 0) {
                throw new AccrueException(ErrorCode.INVALID_AMOUNT, "amount", "amount is more than 0, at most 10^12, in whole minor units of "
                        + body.currency());
            }
            Budget budget = new Budget(Ids.next("bud"), customerId, body.dimension(), body.dimensionValue(), amount,
                    percents.stream().map(BigDecimal::stripTrailingZeros).sorted().distinct().toList(), time.systemNow(), period);
            if (!budgets.insert(caller.tenantId(), budget)) {
                throw new AccrueException(ErrorCode.ALREADY_EXISTS, body.dimension() == null ? "amount" : "dimension_value", "Customer " + customerId
                        + " already has " + (body.dimension() == null ? "an overall budget" : "a budget for " + body.dimension() + "=" + body.dimensionValue()));
            }
            audit.record(caller, "budget", budget.id(), "budget.created", null, budget);
            return budget;
        });
    }

    /** Every budget of the customer with its actual in the current period. */
    public List<Status> list(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            Customer customer = customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            return statuses(caller.tenantId(), customer, budgets.forCustomer(caller.tenantId(), customerId));
        });
    }

    public void delete(Caller caller, String customerId, String budgetId) {
        caller.requireWrite();
        tx.run(() -> {
            customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            if (!budgets.delete(caller.tenantId(), customerId, budgetId)) {
                throw AccrueException.notFound("budget", budgetId);
            }
            audit.record(caller, "budget", budgetId, "budget.deleted", null, null);
        });
    }

    /** The cost allocation report of the subscription's billing period holding {@code date} (the customer's today when null). */
    public CostAllocation.Report allocation(Caller caller, String subscriptionId, String dimension, LocalDate date) {
        return allocation(caller, subscriptionId, dimension, date, null);
    }

    /**
     * The cost allocation report of the subscription's period holding {@code date} (the customer's today when null):
     * its billing period, or with {@code period} {@code calendar_month} the calendar month ({@link CostAllocation#allocateMonth}).
     */
    public CostAllocation.Report allocation(Caller caller, String subscriptionId, String dimension, LocalDate date, String period) {
        BudgetPeriod kind = period == null ? BudgetPeriod.BILLING_PERIOD : BudgetPeriod.ofWire(period)
                .orElseThrow(() -> AccrueException.invalid("period", "period is billing_period (the default) or calendar_month, got '" + period + "'"));
        if (dimension != null && !DIMENSION.matcher(dimension).matches()) {
            throw AccrueException.invalid("dimension", "dimension is 1-64 letters, digits, '_', '.' or '-' (a group_by property of your metrics)");
        }
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.find(caller.tenantId(), subscriptionId)
                    .orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate day = date == null ? time.today(caller.tenantId(), customer) : date;
            if (day.isBefore(sub.startDate()) || (sub.endedOn() != null && !day.isBefore(sub.endedOn()))) {
                throw AccrueException.invalid("date", "Subscription " + subscriptionId + " was not running on " + day);
            }
            if (kind == BudgetPeriod.CALENDAR_MONTH) {
                return allocation.allocateMonth(caller.tenantId(), sub, customer, month(day), time.today(caller.tenantId(), customer), dimension);
            }
            return allocation.allocate(caller.tenantId(), sub, customer, ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, day),
                    dimension);
        });
    }

    /**
     * Budget alerts: each chosen percentage of each budget, once per period. The budgets of every customer whose usage
     * moved are read in one query; only customers with budgets are priced, each in a transaction of its own.
     */
    @Override
    public Set<String> check(String tenantId, Collection<String> customerIds) {
        Map<String, List<Budget>> byCustomer = new LinkedHashMap<>();
        tx.inTransaction(() -> budgets.forCustomers(tenantId, customerIds))
                .forEach(b -> byCustomer.computeIfAbsent(b.customerId(), c -> new ArrayList<>()).add(b));
        byCustomer.forEach((customerId, mine) -> {
            try {
                tx.run(() -> check(tenantId, customerId, mine));
            } catch (RuntimeException e) {
                LOG.warn("Evaluating the budgets of customer {} failed; its next usage evaluates them again", customerId, e);
            }
        });
        return byCustomer.keySet();
    }

    private void check(String tenantId, String customerId, List<Budget> mine) {
        Customer customer = customers.find(tenantId, customerId).orElseThrow();
        Instant now = time.now(tenantId, customer);
        List<Status> statuses = statuses(tenantId, customer, mine);
        Set<FiredAlert.Marker> fired = alerts.firedIn(tenantId, statuses.stream().filter(s -> s.period() != null)
                .map(s -> new FiredAlert.Window(s.budget().id(), s.period().start())).toList());
        for (Status s : statuses) {
            if (s.period() == null || s.percentUsed() == null) {
                continue;
            }
            for (BigDecimal p : s.budget().alertPercents()) {
                if (s.percentUsed().compareTo(p) < 0) {
                    continue;
                }
                AlertFiring.Alert alert = new AlertFiring.Alert(tenantId, customerId, "budget", s.budget().id(), FiredAlert.BUDGET_THRESHOLD,
                        EventTypes.BUDGET_THRESHOLD_REACHED, s.budget().id(), s.period(), FiredAlert.CUSTOMER, p.toPlainString() + "%");
                if (fired.contains(alert.marker())) {
                    continue;
                }
                Map<String, Object> data = new TreeMap<>();
                data.put("budget_id", s.budget().id());
                data.put("customer_id", customerId);
                data.put("dimension", s.budget().dimension());
                data.put("dimension_value", s.budget().dimensionValue());
                data.put("amount", s.budget().amount().toPlainMinorString());
                data.put("actual", s.actual().toPlainMinorString());
                data.put("currency", s.actual().currency().getCurrencyCode());
                data.put("percent_used", s.percentUsed().toPlainString());
                data.put("threshold", p.toPlainString() + "%");
                data.put("period_start", s.period().start().toString());
                data.put("period_end", s.period().end().toString());
                firing.fire(alert, data, now);
            }
        }
    }

    /** The calendar month holding {@code day}: its first day to the next month's first day. */
    static Period month(LocalDate day) {
        LocalDate first = day.withDayOfMonth(1);
        return new Period(first, first.plusMonths(1));
    }

    /**
     * Actuals, per kind of period the budgets ask for: the charges of the current billing period of each running
     * subscription (their first period's dates name the budget period), or of the current calendar month of every
     * subscription that runs in it ({@link CostAllocation#allocateMonth}) — each split by each dimension the budgets ask about.
     */
    private List<Status> statuses(String tenantId, Customer customer, List<Budget> list) {
        LocalDate today = time.today(tenantId, customer);
        Map<BudgetPeriod, Actuals> actuals = new LinkedHashMap<>();
        List<Status> out = new ArrayList<>();
        for (Budget b : list) {
            Actuals a = actuals.computeIfAbsent(b.period(), kind -> actuals(tenantId, customer, today, kind, list));
            Money actual = Money.zero(customer.currency());
            for (CostAllocation.Report r : b.dimension() == null ? a.overall() : a.byDimension().getOrDefault(b.dimension(), List.of())) {
                actual = actual.plus(b.dimension() == null ? r.total() : r.part(b.dimensionValue()));
            }
            BigDecimal percent = actual.amount().multiply(BigDecimal.valueOf(100)).divide(b.amount().amount(), 2, RoundingMode.HALF_UP);
            out.add(new Status(b, a.period(), actual, percent, b.amount().minus(actual)));
        }
        return out;
    }

    /** One kind of period's reports: overall, and per dimension; {@code period} null when no subscription applies. */
    private record Actuals(Period period, List<CostAllocation.Report> overall, Map<String, List<CostAllocation.Report>> byDimension) {
    }

    private Actuals actuals(String tenantId, Customer customer, LocalDate today, BudgetPeriod kind, List<Budget> list) {
        Period month = month(today);
        List<Subscription> counted = subscriptions.forCustomer(tenantId, customer.id()).stream()
                .filter(s -> kind == BudgetPeriod.CALENDAR_MONTH
                        ? s.startDate().isBefore(month.end()) && (s.endedOn() == null || s.endedOn().isAfter(month.start()))
                        : !today.isBefore(s.startDate()) && (s.endedOn() == null || today.isBefore(s.endedOn())))
                .sorted(Comparator.comparing(Subscription::startDate)).toList();
        Set<String> dimensions = new TreeSet<>();
        list.forEach(b -> {
            if (b.period() == kind && b.dimension() != null) {
                dimensions.add(b.dimension());
            }
        });
        Map<String, List<CostAllocation.Report>> byDimension = new TreeMap<>();
        List<CostAllocation.Report> overall = new ArrayList<>();
        for (Subscription sub : counted) {
            if (kind == BudgetPeriod.CALENDAR_MONTH) {
                overall.add(allocation.allocateMonth(tenantId, sub, customer, month, today, null));
                for (String d : dimensions) {
                    byDimension.computeIfAbsent(d, k -> new ArrayList<>()).add(allocation.allocateMonth(tenantId, sub, customer, month, today, d));
                }
            } else {
                Period period = ChargeWindows.containing(sub, ResetCadence.BILLING_PERIOD, false, today);
                overall.add(allocation.allocate(tenantId, sub, customer, period, null));
                for (String d : dimensions) {
                    byDimension.computeIfAbsent(d, k -> new ArrayList<>()).add(allocation.allocate(tenantId, sub, customer, period, d));
                }
            }
        }
        Period period = overall.isEmpty() ? null : overall.getFirst().period();
        return new Actuals(period, overall, byDimension);
    }
}

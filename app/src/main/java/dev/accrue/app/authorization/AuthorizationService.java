package dev.accrue.app.authorization;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.metering.EventResult;
import dev.accrue.app.metering.MeteringService;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Allowance;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.catalog.Overage;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.metering.RawEvent;
import dev.accrue.core.money.Money;
import dev.accrue.core.rating.UsagePricer;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SubscriptionStatus;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.time.Period;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real-time authorization ("may this call start?"). Under the subscription's row lock it computes
 * available = allowance + what the overage policy allows − used − live reservations, where "used" is read
 * from the same daily aggregates the usage views and invoices read; it then holds a reservation for what it
 * grants. Serialising per subscription on that lock is what makes concurrent calls unable to overdraw.
 */
public final class AuthorizationService {
    public static final BigDecimal DEFAULT_GRANT = BigDecimal.valueOf(3600);
    public static final Duration DEFAULT_TTL = Duration.ofHours(2);
    private final Transactions tx;
    private final AuthorizationRepository authorizations;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final UsageRepository usage;
    private final MeteringService metering;
    private final CustomerTime time;

    public AuthorizationService(Transactions tx, AuthorizationRepository authorizations, SubscriptionRepository subscriptions,
                                CustomerRepository customers, CatalogService catalogs, BillingService billing, UsageRepository usage,
                                MeteringService metering, CustomerTime time) {
        this.tx = tx;
        this.authorizations = authorizations;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.usage = usage;
        this.metering = metering;
        this.time = time;
    }

    public Decision authorize(Caller caller, String customerId, String metricCode, BigDecimal requested, Integer ttlSeconds) {
        caller.requireWrite();
        if (customerId == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "customer_id", "customer_id is required");
        }
        if (metricCode == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "metric", "metric is required");
        }
        if (requested != null && (requested.signum() <= 0 || requested.compareTo(BigDecimal.valueOf(86_400L * 31)) > 0)) {
            throw AccrueException.invalid("requested", "requested must be more than 0 and at most one month of seconds");
        }
        Duration ttl = ttlSeconds == null ? DEFAULT_TTL : Duration.ofSeconds(ttlSeconds);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(1)) > 0) {
            throw AccrueException.invalid("ttl_seconds", "ttl_seconds must be 1-86400");
        }
        return tx.inTransaction(() -> {
            // three statements before the insert: the customer's clock, its subscriptions (locked), and its balance
            var customer = customers.clocks(caller.tenantId(), List.of(customerId)).stream().findFirst()
                    .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "customer_id", "No customer with id '" + customerId + "'"));
            Instant now = time.now(caller.tenantId(), customer);
            LocalDate today = LocalDate.ofInstant(now, customer.zone());
            Subscription sub = running(caller.tenantId(), subscriptions.forCustomerForUpdate(caller.tenantId(), customerId), customerId, metricCode, today);
            if (sub.statusOn(today) == SubscriptionStatus.SUSPENDED) {
                return new Decision(false, null, BigDecimal.ZERO, BigDecimal.ZERO, null, null, "subscription_suspended");
            }
            var plan = billing.plan(caller.tenantId(), sub);
            Metric metric = catalogs.catalog(caller.tenantId(), sub.catalogVersion()).metric(metricCode).orElseThrow();
            MeteredCharge charge = plan.charges().stream().filter(c -> c instanceof MeteredCharge m && m.metric().equals(metricCode))
                    .map(c -> (MeteredCharge) c).findFirst()
                    .orElseThrow(() -> new AccrueException(ErrorCode.UNKNOWN_METRIC, "metric", "Plan " + sub.planCode() + " does not meter " + metricCode));
            Period period = today.isBefore(sub.anchor()) ? new Period(sub.startDate(), sub.anchor()) : sub.periodContaining(today);
            final LocalDate day = today;
            Period window = UsageBilling.windows(charge.allowances(), period).stream().filter(w -> w.contains(day)).findFirst().orElse(period);
            BigDecimal used;
            BigDecimal held;
            var aggregation = metric.aggregation();
            if (aggregation == dev.accrue.core.catalog.Aggregation.SUM || aggregation == dev.accrue.core.catalog.Aggregation.COUNT) {
                var balance = authorizations.balance(caller.tenantId(), sub.id(), metricCode, window.start(), window.end(), now);
                used = balance.used();
                held = balance.held();
            } else {
                var stored = aggregation == dev.accrue.core.catalog.Aggregation.UNIQUE_COUNT
                        ? usage.firstSeen(caller.tenantId(), sub.id(), metricCode, window.start(), window.end())
                        : usage.daily(caller.tenantId(), sub.id(), metricCode, window.start(), window.end());
                used = UsageBilling.fold(aggregation, stored.stream().map(d -> new UsageBilling.DayUsage(d.day(), d.dimensionKey(), d.quantity())).toList());
                held = authorizations.held(caller.tenantId(), sub.id(), metricCode, now);
            }
            BigDecimal included = charge.allowances().stream().map(Allowance::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal overageAllowed = overageAllowed(charge, () -> currency(caller.tenantId(), sub));
            BigDecimal available = overageAllowed == null ? null : included.add(overageAllowed).subtract(used).subtract(held).max(BigDecimal.ZERO);
            BigDecimal want = requested == null ? DEFAULT_GRANT : requested;
            BigDecimal granted = available == null ? want : want.min(available);
            if (granted.signum() <= 0) {
                String reason = charge.overage().policy() == Overage.OveragePolicy.BLOCK ? "usage_blocked" : "balance_exhausted";
                return new Decision(false, null, BigDecimal.ZERO, BigDecimal.ZERO, used, included, reason);
            }
            Authorization a = new Authorization(Ids.next("auth"), sub.id(), customer.id(), metricCode, granted, Authorization.HELD, null,
                    now.plus(ttl), time.systemNow());
            authorizations.insert(caller.tenantId(), a);
            return new Decision(true, a.id(), granted.stripTrailingZeros(), available == null ? null : available.stripTrailingZeros(),
                    used.stripTrailingZeros(), included.stripTrailingZeros(), null);
        });
    }

    /**
     * Ends a call: records its actual usage as an event (id = the authorization's, so a retried commit is a
     * duplicate) and frees the rest of the reservation.
     */
    public EventResult commit(Caller caller, String id, BigDecimal actual, Map<String, Object> properties) {
        caller.requireWrite();
        if (actual == null || actual.signum() < 0) {
            throw AccrueException.invalid("quantity", "quantity (the actual usage) must be zero or more");
        }
        return tx.inTransaction(() -> {
            Authorization a = authorizations.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("authorization", id));
            if (!a.status().equals(Authorization.HELD)) {
                throw new AccrueException(ErrorCode.AUTHORIZATION_SETTLED, "Authorization " + id + " is already " + a.status());
            }
            Subscription sub = subscriptions.find(caller.tenantId(), a.subscriptionId()).orElseThrow();
            Metric metric = catalogs.catalog(caller.tenantId(), sub.catalogVersion()).metric(a.metric()).orElseThrow();
            var customer = customers.find(caller.tenantId(), a.customerId()).orElseThrow();
            Map<String, Object> props = new HashMap<>(properties == null ? Map.of() : properties);
            if (metric.field() != null) {
                props.put(metric.field(), actual);
            }
            RawEvent event = new RawEvent(a.id(), a.customerId(), a.metric(), time.now(caller.tenantId(), customer).toString(), props);
            EventResult result = metering.ingest(caller, List.of(event)).results().getFirst();
            if (result.status().equals(EventResult.REJECTED)) {
                throw new AccrueException(ErrorCode.valueOf(result.code().toUpperCase(java.util.Locale.ROOT)), result.field(), result.message());
            }
            authorizations.settle(caller.tenantId(), id, Authorization.COMMITTED, actual, time.systemNow());
            return result;
        });
    }

    public void release(Caller caller, String id) {
        caller.requireWrite();
        tx.run(() -> {
            Authorization a = authorizations.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("authorization", id));
            if (!a.status().equals(Authorization.HELD)) {
                throw new AccrueException(ErrorCode.AUTHORIZATION_SETTLED, "Authorization " + id + " is already " + a.status());
            }
            authorizations.settle(caller.tenantId(), id, Authorization.RELEASED, null, time.systemNow());
        });
    }

    /** Overage units the policy allows in the period: 0 when blocked, null when unlimited, the cap's worth when capped. */
    private static BigDecimal overageAllowed(MeteredCharge charge, java.util.function.Supplier<String> currencyOf) {
        return switch (charge.overage().policy()) {
            case BLOCK -> BigDecimal.ZERO;
            case CHARGE -> charge.pricing() == null && charge.rateTable() == null ? BigDecimal.ZERO : null;
            case CHARGE_UP_TO_CAP -> {
                if (charge.pricing() == null) {
                    yield BigDecimal.ZERO;
                }
                String currency = currencyOf.get(); // only a cap needs the currency, so only then is it read
                yield UsagePricer.unitsAffordable(charge.pricing(), Money.of(charge.overage().cap().get(currency), currency)).orElse(null);
            }
        };
    }

    /** The currency the subscription is billed in: the one its customer's account uses. */
    private String currency(String tenantId, Subscription sub) {
        return customers.find(tenantId, sub.customerId()).orElseThrow().currency().getCurrencyCode();
    }

    private Subscription running(String tenantId, List<Subscription> subs, String customerId, String metric, LocalDate today) {
        for (Subscription s : subs) {
            boolean live = !today.isBefore(s.startDate()) && (s.endedOn() == null || today.isBefore(s.endedOn()));
            if (live && catalogs.catalog(tenantId, s.catalogVersion()).metric(metric).isPresent()) {
                return s;
            }
        }
        throw new AccrueException(ErrorCode.NO_ACTIVE_SUBSCRIPTION, "customer_id", "Customer " + customerId + " has no running subscription that meters " + metric);
    }
}

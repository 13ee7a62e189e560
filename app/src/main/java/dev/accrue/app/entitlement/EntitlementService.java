package dev.accrue.app.entitlement;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.Feature;
import dev.accrue.core.catalog.FeatureType;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SubscriptionStatus;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Feature gating: is a feature, limit or quota in the customer's current plan, and if not, which plan is the
 * cheapest that has it. "Current plan" is the plan (with the subscription's enterprise overrides) of each
 * subscription giving service today — trialing, active, pending a change or cancelled at period end; not
 * pending start, ended or suspended. The feature is included when any of them grants it. The cheapest plan is
 * the lowest tier of the same product in the catalog version in force today ({@link Catalog#cheapestPlanWith}),
 * or, for a customer without a subscription, the lowest tier of any product that grants it.
 */
public final class EntitlementService {
    private static final Set<SubscriptionStatus> SERVED = Set.of(SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE,
            SubscriptionStatus.PENDING_CHANGE, SubscriptionStatus.CANCELED_AT_PERIOD_END);
    private final Transactions tx;
    private final CustomerRepository customers;
    private final SubscriptionRepository subscriptions;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final CustomerTime time;

    public EntitlementService(Transactions tx, CustomerRepository customers, SubscriptionRepository subscriptions, CatalogService catalogs,
                              BillingService billing, CustomerTime time) {
        this.tx = tx;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.billing = billing;
        this.time = time;
    }

    public Entitlement check(Caller caller, String customerId, String featureCode, Long atLeastParam) {
        long atLeast = atLeastParam == null ? 1 : atLeastParam;
        if (atLeast < 0) {
            throw AccrueException.invalid("at_least", "at_least must be zero or more, got " + atLeast);
        }
        return tx.inTransaction(() -> {
            String tenant = caller.tenantId();
            Customer customer = customers.find(tenant, customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            LocalDate today = time.today(tenant, customer);
            Catalog current = catalogs.current(tenant, time.now(tenant, customer)).catalog();
            List<Subscription> served = subscriptions.forCustomer(tenant, customerId).stream()
                    .filter(s -> SERVED.contains(s.statusOn(today))).toList();
            Optional<Feature> feature = current.feature(featureCode);
            for (Subscription s : served) {
                if (feature.isEmpty()) {
                    feature = catalogs.catalog(tenant, s.catalogVersion()).feature(featureCode);
                }
            }
            Feature f = feature.orElseThrow(() -> new AccrueException(ErrorCode.UNKNOWN_FEATURE, "feature",
                    "No feature '" + featureCode + "' in the catalog; features are " + current.features().stream().map(Feature::code).toList()));
            String type = f.type().name().toLowerCase(Locale.ROOT);
            Subscription shown = null;
            Plan shownPlan = null;
            for (Subscription s : served) {
                Plan plan = billing.plan(tenant, s);
                if (plan.entitlements().grants(f.code(), atLeast)) {
                    return new Entitlement(customerId, f.code(), type, atLeast, true, value(plan, f), limit(plan, f), s.id(), plan.code(), null);
                }
                if (shown == null) {
                    shown = s;
                    shownPlan = plan;
                }
            }
            List<Plan> candidates = new ArrayList<>();
            if (shownPlan != null) {
                current.cheapestPlanWith(shownPlan.product(), f.code(), atLeast).ifPresent(candidates::add);
            } else {
                current.plans().stream().filter(p -> p.entitlements().grants(f.code(), atLeast))
                        .min(Comparator.comparingInt(Plan::tier)).ifPresent(candidates::add);
            }
            Entitlement.PlanRef upgrade = candidates.stream().findFirst()
                    .map(p -> new Entitlement.PlanRef(p.code(), p.name(), p.product(), p.tier(), value(p, f), limit(p, f))).orElse(null);
            return new Entitlement(customerId, f.code(), type, atLeast, false, shownPlan == null ? null : value(shownPlan, f),
                    shownPlan == null ? null : limit(shownPlan, f), shown == null ? null : shown.id(), shownPlan == null ? null : shownPlan.code(),
                    upgrade);
        });
    }

    private static Boolean value(Plan plan, Feature f) {
        return f.type() == FeatureType.BOOLEAN ? Boolean.TRUE.equals(plan.entitlements().features().get(f.code())) : null;
    }

    private static BigDecimal limit(Plan plan, Feature f) {
        return switch (f.type()) {
            case LIMIT -> plan.entitlements().limits().get(f.code());
            case QUOTA -> {
                Long q = plan.entitlements().quotas().get(f.code());
                yield q == null ? null : BigDecimal.valueOf(q);
            }
            case BOOLEAN -> null;
        };
    }
}

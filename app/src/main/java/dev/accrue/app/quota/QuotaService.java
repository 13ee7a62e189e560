package dev.accrue.app.quota;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.FeatureType;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SuspendedService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Quotas of counted items (AI employees, phone numbers). Creating one more is checked and recorded in one
 * transaction holding the subscription's lock, so two concurrent creates cannot both take the last place.
 * A refusal names the limit and the cheapest plan of the product that raises it.
 */
public final class QuotaService {
    private static final Pattern ITEM = Pattern.compile("^[A-Za-z0-9_.:@+-]{1,128}$");
    private final Transactions tx;
    private final QuotaRepository quotas;
    private final SubscriptionRepository subscriptions;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final AuditLog audit;
    private final CustomerTime time;

    public QuotaService(Transactions tx, QuotaRepository quotas, SubscriptionRepository subscriptions, CatalogService catalogs,
                        BillingService billing, AuditLog audit, CustomerTime time) {
        this.tx = tx;
        this.quotas = quotas;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.billing = billing;
        this.audit = audit;
        this.time = time;
    }

    public List<QuotaUsage> usage(Caller caller, String subscriptionId) {
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            Plan plan = billing.plan(caller.tenantId(), sub);
            Catalog catalog = catalogs.catalog(caller.tenantId(), sub.catalogVersion());
            Map<String, Long> counts = quotas.counts(caller.tenantId(), subscriptionId);
            List<QuotaUsage> out = new ArrayList<>();
            for (var f : catalog.features()) {
                if (f.type() == FeatureType.QUOTA) {
                    Long limit = plan.entitlements().quotas().get(f.code());
                    long used = counts.getOrDefault(f.code(), 0L);
                    out.add(new QuotaUsage(f.code(), used, limit == null ? 0L : limit, upgrade(catalog, plan, f.code(), used + 1)));
                }
            }
            return out;
        });
    }

    /** Whether one more item may be created now, without creating it. */
    public QuotaUsage check(Caller caller, String subscriptionId, String quota) {
        return usage(caller, subscriptionId).stream().filter(q -> q.quota().equals(quota)).findFirst()
                .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "quota", "No quota '" + quota + "' in this subscription's catalog"));
    }

    public QuotaUsage activate(Caller caller, String subscriptionId, String quota, String itemId) {
        caller.requireWrite();
        if (itemId == null || !ITEM.matcher(itemId).matches()) {
            throw AccrueException.invalid("item_id", "item_id must be 1-128 letters, digits or _ . : @ + -");
        }
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            QuotaUsage now = check(caller, subscriptionId, quota);
            if (quotas.active(caller.tenantId(), subscriptionId, quota).contains(itemId)) {
                return now;
            }
            SuspendedService.refuseNewResources(sub, quota);
            if (now.used() + 1 > now.limit()) {
                throw new AccrueException(ErrorCode.QUOTA_EXCEEDED, "quota",
                        "Plan " + sub.planCode() + " allows " + now.limit() + " " + quota + " (" + now.display() + ")"
                                + (now.upgradePlan() == null ? "; no plan allows more" : "; plan " + now.upgradePlan() + " allows more"));
            }
            quotas.activate(caller.tenantId(), subscriptionId, quota, itemId, time.systemNow());
            audit.record(caller, "subscription", subscriptionId, "quota.item_activated", null, Map.of("quota", quota, "item_id", itemId));
            return check(caller, subscriptionId, quota);
        });
    }

    public QuotaUsage deactivate(Caller caller, String subscriptionId, String quota, String itemId) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            subscriptions.findForUpdate(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            if (!quotas.deactivate(caller.tenantId(), subscriptionId, quota, itemId, time.systemNow())) {
                throw new AccrueException(ErrorCode.NOT_FOUND, "item_id", "No active " + quota + " item '" + itemId + "'");
            }
            audit.record(caller, "subscription", subscriptionId, "quota.item_deactivated", Map.of("quota", quota, "item_id", itemId), null);
            return check(caller, subscriptionId, quota);
        });
    }

    /**
     * Refuses moving to {@code target} while more items are active than it allows, listing what must be
     * deactivated first. Called inside the plan change's transaction.
     */
    public void requireFits(String tenantId, String subscriptionId, Plan target) {
        List<String> problems = new ArrayList<>();
        quotas.counts(tenantId, subscriptionId).forEach((quota, used) -> {
            Long limit = target.entitlements().quotas().getOrDefault(quota, 0L);
            if (used > limit) {
                List<String> items = quotas.active(tenantId, subscriptionId, quota);
                problems.add(quota + ": " + used + " active, plan " + target.code() + " allows " + limit + "; deactivate "
                        + (used - limit) + " of " + items);
            }
        });
        if (!problems.isEmpty()) {
            throw new AccrueException(ErrorCode.QUOTA_EXCEEDED, "plan", "Deactivate first — " + String.join("; ", problems));
        }
    }

    private static String upgrade(Catalog catalog, Plan current, String quota, long needed) {
        return catalog.cheapestPlanWith(current.product(), quota, needed).filter(p -> p.tier() > current.tier()).map(Plan::code).orElse(null);
    }
}

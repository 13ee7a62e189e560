package dev.accrue.adapters.http.portal;

import dev.accrue.app.addon.AddOnService;
import dev.accrue.app.portal.CancelAlternative;
import dev.accrue.app.subscription.ChangeResult;
import dev.accrue.app.web.WebSession;
import dev.accrue.core.catalog.AddOn;
import dev.accrue.core.catalog.AddOnType;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.IntervalOption;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.Subscription;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Portal admin pages that change the subscription: the plan comparison, a plan change (preview, then confirm),
 * revoking a pending downgrade, add-on checkout, cancellation and reactivation. Every change is shown with the
 * preview the same use case computes before the user confirms it.
 */
public final class PortalPlanPages {
    private final Portal portal;

    public PortalPlanPages(Portal portal) {
        this.portal = portal;
    }

    public void register(RoutesConfig app) {
        var area = portal.area();
        area.get(app, "/portal/plans", Portal.ADMIN, this::plans);
        area.post(app, "/portal/subscriptions/{id}/change/preview", Portal.ADMIN, (ctx, session) -> change(ctx, session, true));
        area.post(app, "/portal/subscriptions/{id}/change", Portal.ADMIN, (ctx, session) -> change(ctx, session, false));
        area.post(app, "/portal/subscriptions/{id}/revoke_pending", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            portal.uc().subscriptions().revokePendingChange(scope.caller(), scope.subscription(ctx.pathParam("id")).id());
            ctx.redirect("/portal?notice=pending_revoked");
        });
        area.post(app, "/portal/subscriptions/{id}/add_ons/preview", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Subscription sub = scope.subscription(ctx.pathParam("id"));
            String code = Portal.field(ctx, "add_on", 100);
            AddOnService.Checkout checkout = portal.uc().addOns().preview(scope.caller(), sub.id(), code, false);
            portal.render(ctx, session, scope, "checkout", Map.of("sub", sub, "checkout", checkout, "code", code));
        });
        area.post(app, "/portal/subscriptions/{id}/add_ons", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Subscription sub = scope.subscription(ctx.pathParam("id"));
            portal.uc().addOns().purchase(scope.caller(), sub.id(), Portal.field(ctx, "add_on", 100), false);
            ctx.redirect("/portal?notice=add_on_bought");
        });
        area.get(app, "/portal/subscriptions/{id}/cancel", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Subscription sub = scope.subscription(ctx.pathParam("id"));
            var today = portal.uc().subscriptions().today(scope.caller(), sub);
            var period = sub.periodContaining(today);
            Plan plan = portal.uc().billing().plan(scope.caller().tenantId(), sub);
            portal.render(ctx, session, scope, "cancel", Map.of("sub", sub, "plan", plan, "endsOn", period == null ? sub.startDate() : period.end(),
                    "alternatives", alternatives(scope, sub, plan), "tomorrow", today.plusDays(1)));
        });
        area.post(app, "/portal/subscriptions/{id}/cancel", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Subscription sub = scope.subscription(ctx.pathParam("id"));
            String reason = Portal.field(ctx, "reason", 100);
            String detail = ctx.formParam("detail");
            if (detail != null && detail.length() > 1000) {
                throw dev.accrue.core.error.AccrueException.invalid("detail", "detail is longer than 1000 characters");
            }
            String full = detail == null || detail.isBlank() ? reason : reason + ": " + detail.strip();
            portal.uc().subscriptions().cancel(scope.caller(), sub.id(), full);
            ctx.redirect("/portal?notice=canceled");
        });
        area.post(app, "/portal/subscriptions/{id}/reactivate", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            portal.uc().subscriptions().reactivate(scope.caller(), scope.subscription(ctx.pathParam("id")).id());
            ctx.redirect("/portal?notice=reactivated");
        });
    }

    /**
     * What the cancel page offers instead: the tenant's configured alternatives (a downgrade only while its plan is
     * in the catalog and is not the customer's own; contact links as configured; a pause unless already paused); none configured = the cheaper
     * plans of the same product, each as a downgrade.
     */
    private List<Map<String, Object>> alternatives(PortalScope scope, Subscription sub, Plan current) {
        List<Plan> plans = catalog(scope).plans();
        List<CancelAlternative> configured = portal.uc().cancelAlternatives().list(scope.caller());
        if (configured.isEmpty()) {
            configured = plans.stream().filter(p -> p.product().equals(current.product()) && p.tier() < current.tier())
                    .map(p -> new CancelAlternative(CancelAlternative.Kind.DOWNGRADE, p.code(), null, null, null)).toList();
        }
        List<Map<String, Object>> shown = new ArrayList<>();
        for (CancelAlternative a : configured) {
            if (a.kind() == CancelAlternative.Kind.CONTACT) {
                shown.add(Map.of("kind", "contact", "alternative", a));
                continue;
            }
            if (a.kind() == CancelAlternative.Kind.PAUSE) {
                if (PortalPauseRoutes.openPause(portal, scope, sub).isEmpty()) {
                    shown.add(Map.of("kind", "pause", "alternative", a));
                }
                continue;
            }
            plans.stream().filter(p -> p.code().equals(a.plan()) && !p.code().equals(current.code())).findFirst()
                    .ifPresent(p -> shown.add(Map.of("kind", "downgrade", "alternative", a, "plan", p)));
        }
        return shown;
    }

    private Catalog catalog(PortalScope scope) {
        return portal.uc().catalogs().current(scope.caller(), null).catalog();
    }

    private void plans(Context ctx, WebSession session) {
        PortalScope scope = portal.scope(session);
        Catalog catalog = catalog(scope);
        String currency = scope.customer().currency().getCurrencyCode();
        List<Map<String, Object>> subs = new ArrayList<>();
        for (Subscription sub : scope.subscriptions()) {
            var today = portal.uc().subscriptions().today(scope.caller(), sub);
            if (sub.statusOn(today) == dev.accrue.core.subscription.SubscriptionStatus.ENDED) {
                continue;
            }
            Plan current = portal.uc().billing().plan(scope.caller().tenantId(), sub);
            List<Map<String, Object>> columns = new ArrayList<>();
            for (Plan p : catalog.plans()) {
                if (p.product().equals(current.product())) {
                    columns.add(column(p, currency, sub));
                }
            }
            List<AddOn> addOns = catalog.addOns().stream().filter(a -> a.type() != AddOnType.RENTAL && a.availableOnPlan(sub.planCode())).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sub", sub);
            m.put("current", current);
            m.put("columns", columns);
            m.put("addOns", addOns.stream().map(a -> Map.of("addOn", a, "price", Optional.ofNullable(a.price().get(currency))
                    .map(v -> Money.of(v, currency)).orElse(Money.zero(currency)))).toList());
            subs.add(m);
        }
        portal.render(ctx, session, scope, "plans", Map.of("subscriptions", subs));
    }

    /** One plan as a column of the comparison: price per interval, allowances, features and quotas. */
    private static Map<String, Object> column(Plan plan, String currency, Subscription sub) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("plan", plan);
        c.put("current", plan.code().equals(sub.planCode()));
        List<Map<String, Object>> prices = new ArrayList<>();
        for (IntervalOption option : plan.intervals()) {
            BigDecimal total = BigDecimal.ZERO;
            for (var charge : plan.charges()) {
                if (charge instanceof RecurringCharge r) {
                    total = total.add(r.periodPrice(option, currency).orElse(BigDecimal.ZERO));
                }
            }
            prices.add(Map.of("interval", option.interval().wire(), "price", Money.of(total, currency).rounded(java.math.RoundingMode.HALF_UP)));
        }
        c.put("prices", prices);
        List<Map<String, Object>> allowances = new ArrayList<>();
        for (var charge : plan.charges()) {
            if (charge instanceof MeteredCharge m && !m.allowances().isEmpty()) {
                allowances.add(Map.of("name", m.name(), "quantity", m.allowances().stream().map(a -> a.quantity()).reduce(BigDecimal.ZERO, BigDecimal::add)));
            }
        }
        c.put("allowances", allowances);
        c.put("features", plan.entitlements().features());
        c.put("quotas", plan.entitlements().quotas());
        return c;
    }

    private void change(Context ctx, WebSession session, boolean preview) {
        PortalScope scope = portal.scope(session);
        Subscription sub = scope.subscription(ctx.pathParam("id"));
        String plan = Portal.field(ctx, "plan", 100);
        ChangeResult result = portal.uc().subscriptions().changePlan(scope.caller(), sub.id(), plan, false, preview);
        if (!preview) {
            ctx.redirect("/portal?notice=" + (result.quote().timing() == dev.accrue.core.subscription.ChangeQuote.Timing.IMMEDIATE ? "plan_changed"
                    : "plan_change_scheduled"));
            return;
        }
        Plan target = catalog(scope).plans().stream().filter(p -> p.code().equals(plan)).findFirst().orElseThrow();
        portal.render(ctx, session, scope, "change_preview", Map.of("sub", sub, "target", target, "result", result));
    }
}

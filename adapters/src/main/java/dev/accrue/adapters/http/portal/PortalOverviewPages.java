package dev.accrue.adapters.http.portal;

import dev.accrue.app.metering.UsageRepository;
import dev.accrue.app.metering.UsageView;
import dev.accrue.app.payment.Collection;
import dev.accrue.app.quota.QuotaUsage;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SubscriptionStatus;
import dev.accrue.core.time.Period;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The pages every portal user may see: the overview and usage. */
public final class PortalOverviewPages {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private final Portal portal;

    public PortalOverviewPages(Portal portal) {
        this.portal = portal;
    }

    public void register(RoutesConfig app) {
        portal.area().get(app, "/portal", Portal.ANY_USER, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            List<Map<String, Object>> subs = new ArrayList<>();
            for (Subscription sub : scope.subscriptions()) {
                LocalDate today = portal.uc().subscriptions().today(scope.caller(), sub);
                if (sub.statusOn(today) != SubscriptionStatus.ENDED) {
                    subs.add(summary(scope, sub, today));
                }
            }
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("subscriptions", subs);
            page.put("wallet", portal.uc().wallets().view(scope.caller(), scope.customer().id()));
            page.put("failedPayments", failedPayments(scope));
            portal.render(ctx, session, scope, "overview", page);
        });
        portal.area().get(app, "/portal/usage", Portal.ANY_USER, (ctx, session) -> usage(ctx, portal.scope(session), session));
    }

    Map<String, Object> summary(PortalScope scope, Subscription sub, LocalDate today) {
        Map<String, Object> m = new LinkedHashMap<>();
        Plan plan = portal.uc().billing().plan(scope.caller().tenantId(), sub);
        Period period = sub.periodContaining(today);
        m.put("sub", sub);
        m.put("plan", plan);
        m.put("status", portal.uc().subscriptions().status(scope.caller(), sub).name().toLowerCase(Locale.ROOT));
        m.put("periodEnd", period == null ? null : period.end());
        m.put("suspended", sub.suspendedOn() != null);
        PortalPauseRoutes.openPause(portal, scope, sub).ifPresent(p -> m.put("pause", p));
        if (sub.pendingPlanCode() != null) {
            m.put("pendingPlan", planName(scope, sub.pendingPlanCode()));
        }
        m.put("meters", meters(scope, sub));
        m.put("quotas", quotas(scope, sub));
        return m;
    }

    private String planName(PortalScope scope, String code) {
        return portal.uc().catalogs().current(scope.caller(), null).catalog().plans().stream()
                .filter(p -> p.code().equals(code)).map(Plan::name).findFirst().orElse(code);
    }

    private List<Map<String, Object>> meters(PortalScope scope, Subscription sub) {
        List<Map<String, Object>> meters = new ArrayList<>();
        for (UsageView.ChargeUsage c : currentUsage(scope, sub).map(UsageView::charges).orElse(List.of())) {
            if (c.included() == null || c.included().signum() <= 0) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.charge());
            m.put("unit", c.unit());
            m.put("used", c.used());
            m.put("included", c.included());
            m.put("remaining", c.remaining());
            // call time is metered in seconds and sold in minutes: say what remains in minutes too
            if (c.remaining() != null && c.unit() != null && c.unit().startsWith("second")) {
                m.put("remainingMinutes", c.remaining().divide(BigDecimal.valueOf(60), 0, RoundingMode.DOWN));
            }
            m.put("percent", c.percentUsed());
            m.put("bar", c.percentUsed() == null ? 0 : c.percentUsed().min(HUNDRED).setScale(0, RoundingMode.HALF_UP).intValue());
            m.put("over", c.percentUsed() != null && c.percentUsed().compareTo(HUNDRED) > 0);
            meters.add(m);
        }
        return meters;
    }

    private java.util.Optional<UsageView> currentUsage(PortalScope scope, Subscription sub) {
        try {
            return java.util.Optional.of(portal.uc().usage().current(scope.caller(), sub.id()));
        } catch (AccrueException e) {
            return java.util.Optional.empty(); // not started yet, or nothing metered: no meters to show
        }
    }

    private List<QuotaUsage> quotas(PortalScope scope, Subscription sub) {
        return portal.uc().quotas().usage(scope.caller(), sub.id());
    }

    /** Usage of one metric by day for the chosen period, as an SVG bar chart and a table by dimension. */
    private void usage(Context ctx, PortalScope scope, dev.accrue.app.web.WebSession session) {
        List<Subscription> live = scope.subscriptions();
        String subId = ctx.queryParam("subscription");
        Subscription sub = subId != null ? scope.subscription(subId) : live.isEmpty() ? null : live.getFirst();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("subscriptions", live);
        page.put("budgets", budgets(scope));
        if (sub == null) {
            portal.render(ctx, session, scope, "usage", page);
            return;
        }
        LocalDate today = portal.uc().subscriptions().today(scope.caller(), sub);
        Period current = sub.periodContaining(today.isBefore(sub.anchor()) ? sub.anchor() : today);
        List<Period> periods = new ArrayList<>();
        for (Period p = current; p != null && periods.size() < 6; p = p.start().isAfter(sub.anchor()) ? sub.periodContaining(p.start().minusDays(1)) : null) {
            periods.add(p);
        }
        Period chosen = current;
        String from = ctx.queryParam("period");
        if (from != null) {
            chosen = periods.stream().filter(p -> p.start().toString().equals(from)).findFirst()
                    .orElseThrow(() -> AccrueException.invalid("period", "period must be the start of one of the listed periods"));
        }
        var view = currentUsage(scope, sub);
        List<UsageView.ChargeUsage> charges = view.map(UsageView::charges).orElse(List.of());
        String metric = ctx.queryParam("metric");
        if (metric == null && !charges.isEmpty()) {
            metric = charges.getFirst().metric();
        }
        page.put("sub", sub);
        page.put("periods", periods);
        page.put("period", chosen);
        page.put("isCurrent", chosen.equals(current));
        page.put("charges", charges);
        page.put("metric", metric);
        if (metric != null) {
            String m = metric;
            charges.stream().filter(c -> c.metric().equals(m)).findFirst().ifPresent(c -> page.put("charge", c));
            List<UsageRepository.DailyUsage> days = portal.uc().usage().daily(scope.caller(), sub.id(), metric, chosen.start(), chosen.end());
            chart(page, chosen, days);
        }
        portal.render(ctx, session, scope, "usage", page);
    }

    /**
     * The customer's budgets against the current period's actuals (the API's {@code GET /v1/customers/{id}/budgets}),
     * shown to members too: they are usage in money, the same figures the overview's meters show in units.
     */
    private List<Map<String, Object>> budgets(PortalScope scope) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var s : portal.uc().budgets().list(scope.caller(), scope.customer().id())) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("dimension", s.budget().dimension());
            b.put("dimensionValue", s.budget().dimensionValue());
            b.put("amount", s.budget().amount());
            b.put("actual", s.actual());
            b.put("remaining", s.remaining());
            b.put("percent", s.percentUsed());
            b.put("period", s.period());
            b.put("over", s.percentUsed() != null && s.percentUsed().compareTo(HUNDRED) > 0);
            b.put("bar", s.percentUsed() == null ? 0 : s.percentUsed().min(HUNDRED).setScale(0, RoundingMode.HALF_UP).intValue());
            rows.add(b);
        }
        return rows;
    }

    private static void chart(Map<String, Object> page, Period period, List<UsageRepository.DailyUsage> days) {
        Map<LocalDate, BigDecimal> byDay = new TreeMap<>();
        Map<String, BigDecimal> byDimension = new TreeMap<>();
        for (var d : days) {
            byDay.merge(d.day(), d.quantity(), BigDecimal::add);
            if (d.dimensionKey() != null && !d.dimensionKey().isEmpty()) {
                byDimension.merge(d.dimensionKey(), d.quantity(), BigDecimal::add);
            }
        }
        BigDecimal max = byDay.values().stream().max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
        List<Map<String, Object>> bars = new ArrayList<>();
        int i = 0;
        for (LocalDate day = period.start(); day.isBefore(period.end()); day = day.plusDays(1), i++) {
            BigDecimal q = byDay.getOrDefault(day, BigDecimal.ZERO);
            int h = max.signum() == 0 ? 0 : q.multiply(BigDecimal.valueOf(90)).divide(max, 0, RoundingMode.HALF_UP).intValue();
            bars.add(Map.of("x", i * 10 + 1, "y", 95 - h, "h", h, "day", day, "quantity", q));
        }
        page.put("bars", bars);
        page.put("chartWidth", Math.max(10, i * 10));
        page.put("dimensions", byDimension);
        page.put("total", byDay.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    static LocalDate date(String text, String field) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw AccrueException.invalid(field, field + " must be a date YYYY-MM-DD");
        }
    }

    /** Invoices whose collection failed and is still open (being retried, in grace or suspended): the invoice and the gateway's reason. */
    private List<Map<String, Object>> failedPayments(PortalScope scope) {
        List<Map<String, Object>> failed = new ArrayList<>();
        for (Collection c : portal.uc().payments().openCollections(scope.caller(), scope.customer().id())) {
            if (c.lastFailure() != null) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("invoice", scope.invoice(c.invoiceId()));
                row.put("reason", c.lastFailure().replace('_', ' '));
                failed.add(row);
            }
        }
        return failed;
    }
}

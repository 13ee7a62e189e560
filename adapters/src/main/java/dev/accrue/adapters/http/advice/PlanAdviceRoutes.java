package dev.accrue.adapters.http.advice;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.advice.PlanAdvice;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** GET /v1/customers/{id}/plan_advice: which plan would have cost least over the last periods, with every plan's figures. */
public final class PlanAdviceRoutes {
    private final PlanAdvice advice;

    public PlanAdviceRoutes(PlanAdvice advice) {
        this.advice = advice;
    }

    record UseView(LocalDate periodStart, LocalDate periodEnd, String used, String included, String percentUsed) {
    }

    record FitView(String charge, String metric, String signal, List<UseView> periods) {
    }

    record CostView(LocalDate periodStart, LocalDate periodEnd, String recurring, String usage, String total) {
    }

    record PlanView(String plan, String name, boolean current, String total, List<CostView> periods) {
    }

    record AdviceView(String object, String subscriptionId, String currentPlan, String currency, String recommendedPlan, String reason,
                      String savings, List<FitView> fit, List<PlanView> plans) {
        static AdviceView of(PlanAdvice.Advice a) {
            return new AdviceView("plan_advice", a.subscriptionId(), a.currentPlan(), a.currency(), a.recommendedPlan(), a.reason(),
                    a.savings() == null ? null : a.savings().toPlainMinorString(),
                    a.fit().stream().map(f -> new FitView(f.charge(), f.metric(), f.signal(), f.periods().stream().map(u -> new UseView(u.period().start(),
                            u.period().end(), plain(u.used()), plain(u.included()), u.percentUsed() == null ? null : u.percentUsed().toPlainString()))
                            .toList())).toList(),
                    a.plans().stream().map(p -> new PlanView(p.plan(), p.name(), p.current(), p.total().toPlainMinorString(), p.periods().stream()
                            .map(c -> new CostView(c.period().start(), c.period().end(), c.recurring().toPlainMinorString(), c.usage().toPlainMinorString(),
                                    c.total().toPlainMinorString())).toList())).toList());
        }
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

    public void register(RoutesConfig app) {
        app.get("/v1/customers/{id}/plan_advice", ctx -> Responses.json(ctx, 200, Map.of("object", "list", "data",
                advice.advise(Requests.caller(ctx), ctx.pathParam("id")).stream().map(AdviceView::of).toList())));
    }
}

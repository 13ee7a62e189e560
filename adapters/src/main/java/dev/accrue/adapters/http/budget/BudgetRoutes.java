package dev.accrue.adapters.http.budget;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.budget.Budget;
import dev.accrue.app.budget.BudgetService;
import dev.accrue.app.budget.CostAllocation;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** /v1/customers/{id}/budgets: budgets with their actuals; /v1/subscriptions/{id}/cost_allocation: a period's charges split by a dimension. */
public final class BudgetRoutes {
    private final BudgetService budgets;
    private final Idempotency idempotency;

    public BudgetRoutes(BudgetService budgets, Idempotency idempotency) {
        this.budgets = budgets;
        this.idempotency = idempotency;
    }

    record BudgetView(String id, String object, String customerId, String dimension, String dimensionValue, String amount, String currency,
                      List<String> alertPercents, LocalDate periodStart, LocalDate periodEnd, String actual, String remaining, String percentUsed,
                      String period) {
        static BudgetView of(Budget b) {
            return new BudgetView(b.id(), "budget", b.customerId(), b.dimension(), b.dimensionValue(), b.amount().toPlainMinorString(),
                    b.amount().currency().getCurrencyCode(), b.alertPercents().stream().map(BigDecimal::toPlainString).toList(), null, null, null, null,
                    null, b.period().wire());
        }

        static BudgetView of(BudgetService.Status s) {
            Budget b = s.budget();
            return new BudgetView(b.id(), "budget", b.customerId(), b.dimension(), b.dimensionValue(), b.amount().toPlainMinorString(),
                    b.amount().currency().getCurrencyCode(), b.alertPercents().stream().map(BigDecimal::toPlainString).toList(),
                    s.period() == null ? null : s.period().start(), s.period() == null ? null : s.period().end(), s.actual().toPlainMinorString(),
                    s.remaining().toPlainMinorString(), s.percentUsed().toPlainString(), b.period().wire());
        }
    }

    record PartView(String value, String amount) {
    }

    record AllocationView(String object, String subscriptionId, LocalDate periodStart, LocalDate periodEnd, String dimension, String currency,
                          String total, List<PartView> parts) {
        static AllocationView of(CostAllocation.Report r) {
            return new AllocationView("cost_allocation", r.subscriptionId(), r.period().start(), r.period().end(), r.dimension(),
                    r.total().currency().getCurrencyCode(), r.total().toPlainMinorString(),
                    r.parts().stream().map(p -> new PartView(p.value(), p.amount().toPlainMinorString())).toList());
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/customers/{id}/budgets", ctx -> {
            BudgetService.NewBudget body = Requests.body(ctx, BudgetService.NewBudget.class);
            idempotency.create(ctx, 201, () -> BudgetView.of(budgets.create(Requests.caller(ctx), ctx.pathParam("id"), body)));
        });
        app.get("/v1/customers/{id}/budgets", ctx -> Responses.listAll(ctx, budgets.list(Requests.caller(ctx), ctx.pathParam("id")),
                s -> s.budget().id(), BudgetView::of));
        app.delete("/v1/customers/{id}/budgets/{budget}", ctx -> {
            budgets.delete(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("budget"));
            Responses.json(ctx, 200, Map.of("id", ctx.pathParam("budget"), "object", "budget", "deleted", true));
        });
        app.get("/v1/subscriptions/{id}/cost_allocation", ctx -> Responses.json(ctx, 200, AllocationView.of(
                budgets.allocation(Requests.caller(ctx), ctx.pathParam("id"), ctx.queryParam("dimension"), Requests.date(ctx, "date"),
                        ctx.queryParam("period")))));
    }
}

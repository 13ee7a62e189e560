package dev.accrue.adapters.http.subscription;

import dev.accrue.adapters.http.invoice.InvoiceView;
import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.subscription.ChangeResult;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.app.subscription.SubscriptionService;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SubscriptionStatus;
import dev.accrue.core.time.Period;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * /v1/subscriptions: create, read, change plan (and preview the change), cancel at period end, reactivate,
 * and revoke a pending downgrade.
 */
public final class SubscriptionRoutes {
    private final SubscriptionService subscriptions;
    private final Idempotency idempotency;

    public SubscriptionRoutes(SubscriptionService subscriptions, Idempotency idempotency) {
        this.subscriptions = subscriptions;
        this.idempotency = idempotency;
    }

    record CreateBody(String customerId, String plan, String interval, LocalDate startDate, Integer trialDays, String alignment, Integer quantity,
                      Integer billingCycleDay) {
    }

    record CycleDayBody(Integer billingCycleDay) {
    }

    record ChangeBody(String plan, String effective) {
    }

    record CancelBody(String reason) {
    }

    record TrialBody(LocalDate trialEnd) {
    }

    record IntervalBody(String interval, String effective) {
    }

    record QuantityBody(Integer quantity) {
    }

    record SubscriptionView(String id, String object, String customerId, String plan, int catalogVersion, String interval,
                            String alignment, String status, LocalDate startDate, LocalDate trialEnd, LocalDate currentPeriodStart,
                            LocalDate currentPeriodEnd, LocalDate nextBillDate, int quantity, String pendingPlan, String pendingInterval,
                            Integer pendingQuantity, boolean cancelAtPeriodEnd,
                            String cancelReason, LocalDate endedOn, LocalDate lockInUntil, Integer billingCycleDay,
                            Integer pendingBillingCycleDay) {
        static SubscriptionView of(Subscription s, LocalDate today, SubscriptionStatus status) {
            Period current = s.billedThrough() == null || !today.isBefore(s.billedThrough()) || today.isBefore(s.anchor())
                    ? null : s.periodContaining(today);
            return new SubscriptionView(s.id(), "subscription", s.customerId(), s.planCode(), s.catalogVersion(), s.interval().wire(),
                    s.alignment().wire(), status.name().toLowerCase(Locale.ROOT), s.startDate(), s.trialEnd(),
                    current == null ? null : current.start(), current == null ? null : current.end(), s.endedOn() == null ? s.nextBillDate() : null,
                    s.quantity(), s.pendingPlanCode(), s.pendingInterval() == null ? null : s.pendingInterval().wire(), s.pendingQuantity(),
                    s.cancelAtPeriodEnd(), s.cancelReason(), s.endedOn(), s.lockInUntil(), s.billingCycleDay(), s.pendingBillingCycleDay());
        }
    }

    record ChangeView(String object, String timing, LocalDate effectiveOn, List<InvoiceView.LineView> lines, String total,
                      String currency, boolean invoicedNow, SubscriptionView subscription, String invoiceId) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/subscriptions", this::create);
        app.get("/v1/subscriptions", ctx -> {
            Caller caller = Requests.caller(ctx);
            var page = subscriptions.list(caller, ctx.queryParam("customer_id"), Requests.page(ctx));
            Responses.list(ctx, page.map(s -> view(caller, s)), SubscriptionView::id);
        });
        app.get("/v1/subscriptions/{id}", ctx -> {
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.get(caller, ctx.pathParam("id"))));
        });
        app.post("/v1/subscriptions/{id}/change", ctx -> change(ctx, false));
        app.post("/v1/subscriptions/{id}/change/preview", ctx -> change(ctx, true));
        app.post("/v1/subscriptions/{id}/cancel", ctx -> {
            CancelBody body = ctx.body().isBlank() ? new CancelBody(null) : Requests.body(ctx, CancelBody.class);
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.cancel(caller, ctx.pathParam("id"), body.reason())));
        });
        app.post("/v1/subscriptions/{id}/end", ctx -> {
            CancelBody body = ctx.body().isBlank() ? new CancelBody(null) : Requests.body(ctx, CancelBody.class);
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.end(caller, ctx.pathParam("id"), body.reason())));
        });
        app.post("/v1/subscriptions/{id}/suspend", ctx -> {
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.suspend(caller, ctx.pathParam("id"))));
        });
        app.post("/v1/subscriptions/{id}/reinstate", ctx -> {
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.reinstate(caller, ctx.pathParam("id"))));
        });
        app.post("/v1/subscriptions/{id}/reactivate", ctx -> {
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.reactivate(caller, ctx.pathParam("id"))));
        });
        app.post("/v1/subscriptions/{id}/change_quantity", ctx -> quantity(ctx, false));
        app.post("/v1/subscriptions/{id}/change_quantity/preview", ctx -> quantity(ctx, true));
        app.post("/v1/subscriptions/{id}/change_interval", ctx -> {
            IntervalBody body = Requests.body(ctx, IntervalBody.class);
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.changeInterval(caller, ctx.pathParam("id"), body.interval(), intervalNow(body))));
        });
        app.post("/v1/subscriptions/{id}/change_interval/preview", ctx -> {
            IntervalBody body = Requests.body(ctx, IntervalBody.class);
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, changeView(caller, true, subscriptions.previewIntervalChange(caller, ctx.pathParam("id"), body.interval(),
                    intervalNow(body))));
        });
        app.post("/v1/subscriptions/{id}/change_billing_cycle_day", ctx -> {
            CycleDayBody body = Requests.body(ctx, CycleDayBody.class);
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.changeBillingCycleDay(caller, ctx.pathParam("id"), body.billingCycleDay())));
        });
        app.post("/v1/subscriptions/{id}/extend_trial", ctx -> {
            TrialBody body = Requests.body(ctx, TrialBody.class);
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.extendTrial(caller, ctx.pathParam("id"), body.trialEnd())));
        });
        app.put("/v1/subscriptions/{id}/overrides", ctx -> {
            PlanOverrides body = Requests.body(ctx, PlanOverrides.class);
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.setOverrides(caller, ctx.pathParam("id"), body)));
        });
        app.get("/v1/subscriptions/{id}/overrides", ctx -> Responses.json(ctx, 200,
                subscriptions.get(Requests.caller(ctx), ctx.pathParam("id")).overrides()));
        app.post("/v1/subscriptions/{id}/revoke_pending_change", ctx -> {
            Caller caller = Requests.caller(ctx);
            Responses.json(ctx, 200, view(caller, subscriptions.revokePendingChange(caller, ctx.pathParam("id"))));
        });
    }

    private SubscriptionView view(Caller caller, Subscription s) {
        return SubscriptionView.of(s, subscriptions.today(caller, s), subscriptions.status(caller, s));
    }

    private void create(Context ctx) {
        CreateBody b = Requests.body(ctx, CreateBody.class);
        Caller caller = Requests.caller(ctx);
        idempotency.create(ctx, 201, () -> view(caller, subscriptions.create(caller,
                new CreateSubscription(b.customerId(), b.plan(), b.interval(), b.startDate(), b.trialDays(), b.alignment(), b.quantity(),
                        b.billingCycleDay()))));
    }

    private void quantity(Context ctx, boolean preview) {
        QuantityBody b = Requests.body(ctx, QuantityBody.class);
        Caller caller = Requests.caller(ctx);
        respond(ctx, caller, preview, () -> subscriptions.changeQuantity(caller, ctx.pathParam("id"), b.quantity(), preview));
    }

    /** An interval change waits for the end of the paid period unless asked {@code immediately} (issue 16 point 8). */
    private static boolean intervalNow(IntervalBody b) {
        if (b.effective() == null || b.effective().equals("next_period")) {
            return false;
        }
        if (b.effective().equals("immediately")) {
            return true;
        }
        throw AccrueException.invalid("effective", "effective must be 'immediately' or 'next_period', got '" + b.effective() + "'");
    }

    private void change(Context ctx, boolean preview) {
        ChangeBody b = Requests.body(ctx, ChangeBody.class);
        boolean nextPeriod;
        if (b.effective() == null || b.effective().equals("immediately")) {
            nextPeriod = false;
        } else if (b.effective().equals("next_period")) {
            nextPeriod = true;
        } else {
            throw AccrueException.invalid("effective", "effective must be 'immediately' or 'next_period', got '" + b.effective() + "'");
        }
        Caller caller = Requests.caller(ctx);
        respond(ctx, caller, preview, () -> subscriptions.changePlan(caller, ctx.pathParam("id"), b.plan(), nextPeriod, preview));
    }

    /** A change invoices at once, so a retried request with the same Idempotency-Key replays the first answer instead of charging twice. */
    private void respond(Context ctx, Caller caller, boolean preview, Supplier<ChangeResult> change) {
        if (preview) {
            Responses.json(ctx, 200, changeView(caller, true, change.get()));
        } else {
            idempotency.create(ctx, 200, () -> changeView(caller, false, change.get()));
        }
    }

    private ChangeView changeView(Caller caller, boolean preview, ChangeResult r) {
        return new ChangeView(preview ? "subscription_change_preview" : "subscription_change",
                r.quote().timing().name().toLowerCase(), r.quote().effectiveOn(), r.quote().lines().stream().map(InvoiceView.LineView::of).toList(),
                r.total().toPlainMinorString(), r.total().currency().getCurrencyCode(), r.invoicedNow(), view(caller, r.subscription()),
                r.invoice() == null ? null : r.invoice().id());
    }
}

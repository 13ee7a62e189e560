package dev.accrue.adapters.http.addon;

import dev.accrue.adapters.http.invoice.InvoiceView;
import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.addon.AddOnService;
import dev.accrue.app.addon.PurchasedAddOn;
import dev.accrue.core.catalog.Grant;
import dev.accrue.core.error.AccrueException;
import io.javalin.config.RoutesConfig;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * /v1/subscriptions/{id}/add_ons: checkout preview, purchase (packages and bundles), list, cancel a package.
 */
public final class AddOnRoutes {
    private final AddOnService addOns;
    private final Idempotency idempotency;

    public AddOnRoutes(AddOnService addOns, Idempotency idempotency) {
        this.addOns = addOns;
        this.idempotency = idempotency;
    }

    record Body(String addOn, String start) {
        boolean nextPeriod() {
            if (start == null || start.equals("now")) {
                return false;
            }
            if (start.equals("next_period")) {
                return true;
            }
            throw AccrueException.invalid("start", "start is now or next_period, got '" + start + "'");
        }
    }

    record GrantView(String metric, String quantity, String reset) {
        static GrantView of(Grant g) {
            return new GrantView(g.metric(), g.quantity().stripTrailingZeros().toPlainString(), g.reset() == null ? null : g.reset().name().toLowerCase());
        }
    }

    record CheckoutView(String object, String addOn, String name, String type, String currency, String price, String upFrontFee, String tax, String total,
                        List<String> includes, List<GrantView> grants, LocalDate startsOn, LocalDate endsOn, String replaces, boolean upgrade,
                        List<InvoiceView.LineView> lines) {
        static CheckoutView of(AddOnService.Checkout c) {
            return new CheckoutView("add_on_checkout", c.addOn(), c.name(), c.type(), c.total().currency().getCurrencyCode(), c.price().toPlainMinorString(),
                    c.upFrontFee().toPlainMinorString(), c.tax().toPlainMinorString(), c.total().toPlainMinorString(), c.includes(),
                    c.grants().stream().map(GrantView::of).toList(), c.startsOn(), c.endsOn(), c.replaces(), c.upgrade(),
                    c.lines().stream().map(InvoiceView.LineView::of).toList());
        }
    }

    record AddOnView(String id, String object, String subscriptionId, String addOn, String type, String status, LocalDate startsOn, LocalDate endsOn,
                     String replaces, String invoiceId, Instant createdAt) {
        static AddOnView of(PurchasedAddOn a, String status) {
            return new AddOnView(a.id(), "subscription_add_on", a.subscriptionId(), a.addOnCode(), a.type(), status, a.startDate(), a.endDate(),
                    a.replacesId(), a.invoiceId(), a.createdAt());
        }
    }

    record PurchaseView(String object, AddOnView addOn, CheckoutView checkout, InvoiceView invoice) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/subscriptions/{id}/add_ons/preview", ctx -> {
            Body b = Requests.body(ctx, Body.class);
            Responses.json(ctx, 200, CheckoutView.of(addOns.preview(Requests.caller(ctx), ctx.pathParam("id"), b.addOn(), b.nextPeriod())));
        });
        app.post("/v1/subscriptions/{id}/add_ons", ctx -> {
            Body b = Requests.body(ctx, Body.class);
            idempotency.create(ctx, 201, () -> {
                var p = addOns.purchase(Requests.caller(ctx), ctx.pathParam("id"), b.addOn(), b.nextPeriod());
                return new PurchaseView("add_on_purchase", AddOnView.of(p.addOn(), p.status()), CheckoutView.of(p.checkout()),
                        p.invoice() == null ? null : InvoiceView.of(p.invoice()));
            });
        });
        app.get("/v1/subscriptions/{id}/add_ons", ctx -> Responses.listAll(ctx, addOns.list(Requests.caller(ctx), ctx.pathParam("id")),
                l -> l.addOn().id(), l -> AddOnView.of(l.addOn(), l.status())));
        app.delete("/v1/subscriptions/{id}/add_ons/{addOnId}", ctx -> {
            var a = addOns.cancel(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("addOnId"));
            var status = addOns.list(Requests.caller(ctx), ctx.pathParam("id")).stream().filter(l -> l.addOn().id().equals(a.id())).findFirst().orElseThrow().status();
            Responses.json(ctx, 200, AddOnView.of(a, status));
        });
    }
}

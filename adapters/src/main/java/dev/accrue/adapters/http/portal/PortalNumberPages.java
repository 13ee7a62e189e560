package dev.accrue.adapters.http.portal;

import dev.accrue.app.rental.PhoneNumber;
import dev.accrue.core.catalog.AddOn;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.RentalOption;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.Subscription;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Portal admin pages of rented phone numbers: the list with fees and status, auto-pay, and release. */
public final class PortalNumberPages {
    private final Portal portal;

    public PortalNumberPages(Portal portal) {
        this.portal = portal;
    }

    public void register(RoutesConfig app) {
        var area = portal.area();
        area.get(app, "/portal/numbers", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Catalog catalog = portal.uc().catalogs().current(scope.caller(), null).catalog();
            String currency = scope.customer().currency().getCurrencyCode();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Subscription sub : scope.subscriptions()) {
                for (PhoneNumber n : portal.uc().numbers().list(scope.caller(), sub.id())) {
                    if (!PhoneNumber.RELEASED.equals(n.status())) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("n", n);
                        row.put("fee", fee(catalog, n, currency));
                        rows.add(row);
                    }
                }
            }
            portal.render(ctx, session, scope, "numbers", Map.of("numbers", rows));
        });
        area.post(app, "/portal/numbers/{id}/auto_pay", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            PhoneNumber n = scope.number(ctx.pathParam("id"));
            String value = Portal.field(ctx, "auto_pay", 5);
            if (!value.equals("true") && !value.equals("false")) {
                throw AccrueException.invalid("auto_pay", "auto_pay must be true or false");
            }
            portal.uc().numbers().setAutoPay(scope.caller(), n.subscriptionId(), n.id(), Boolean.valueOf(value));
            ctx.redirect("/portal/numbers?notice=auto_pay_saved");
        });
        area.get(app, "/portal/numbers/{id}/release", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            portal.render(ctx, session, scope, "release", Map.of("n", scope.number(ctx.pathParam("id"))));
        });
        area.post(app, "/portal/numbers/{id}/release", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            PhoneNumber n = scope.number(ctx.pathParam("id"));
            if (!"yes".equals(ctx.formParam("confirm"))) {
                throw AccrueException.invalid("confirm", "Tick the box to confirm that releasing the number cannot be undone");
            }
            portal.uc().numbers().release(scope.caller(), n.subscriptionId(), n.id());
            ctx.redirect("/portal/numbers?notice=number_released");
        });
    }

    /** The monthly fee of the catalog's rental option matching the number's attributes (country, type). */
    private static Money fee(Catalog catalog, PhoneNumber n, String currency) {
        Map<String, String> attributes = Map.of("country", n.country() == null ? "" : n.country(), "type", n.type() == null ? "" : n.type());
        for (AddOn a : catalog.addOns()) {
            if (a.code().equals(n.addOnCode()) && a.rental() != null) {
                for (RentalOption o : a.rental().options()) {
                    boolean matches = o.match().entrySet().stream().allMatch(e -> e.getValue().equalsIgnoreCase(attributes.getOrDefault(e.getKey(), "")));
                    BigDecimal fee = o.monthlyFee().get(currency);
                    if (matches && fee != null) {
                        return Money.of(fee, currency);
                    }
                }
            }
        }
        return null;
    }
}

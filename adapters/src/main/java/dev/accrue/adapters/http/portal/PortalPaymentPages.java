package dev.accrue.adapters.http.portal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.app.payment.PaymentMethod;
import dev.accrue.app.payment.gateway.BrowserSetups;
import dev.accrue.app.web.Secrets;
import dev.accrue.app.payment.PaymentMethodService;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Portal admin page of payment methods: the list in the order they are tried, adding one from a gateway token
 * (the card itself goes from the browser straight to the gateway's tokenization, never through these routes),
 * default, backup order, expiry, and removal — where the API's refusal is shown as a message on the page.
 */
public final class PortalPaymentPages {
    private static final String PAGE = "/portal/payment_methods";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The API's refusals the page explains in a message (by stable code, never free text from the request); others are error pages. */
    private static final Set<ErrorCode> SHOWN = EnumSet.of(ErrorCode.LAST_PAYMENT_METHOD, ErrorCode.INVALID_TOKEN, ErrorCode.PAYMENT_METHOD_DECLINED,
            ErrorCode.CARD_BRAND_NOT_ACCEPTED, ErrorCode.VALIDATION_FAILED);
    private final Portal portal;
    /** The Stripe publishable key for the Elements form; empty with the sandbox, or with Stripe but no key configured. */
    private final Optional<String> stripePublishableKey;

    public PortalPaymentPages(Portal portal, Optional<String> stripePublishableKey) {
        this.portal = portal;
        this.stripePublishableKey = stripePublishableKey;
    }

    public void register(RoutesConfig app) {
        var area = portal.area();
        area.get(app, PAGE, Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("methods", methods(scope));
            String gateway = portal.uc().paymentMethods().gatewayName();
            page.put("gateway", gateway);
            if ("stripe".equals(gateway) && stripePublishableKey.isPresent()) {
                page.put("stripe", Map.of("publishableKey", stripePublishableKey.get()));
                ctx.attribute(WebArea.STRIPE_JS, true);
            }
            String refused = ctx.queryParam("refused");
            if (SHOWN.stream().anyMatch(c -> c.wire().equals(refused))) {
                page.put("refused", "refused." + refused);
            }
            portal.render(ctx, session, scope, "payment_methods", page);
        });
        area.post(app, PAGE, Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            String token = Portal.field(ctx, "token", 255);
            refusedOr(ctx, "method_added", () -> portal.uc().paymentMethods().add(scope.caller(), scope.customer().id(),
                    new PaymentMethodService.NewMethod(token, null, null)));
        });
        // Stripe Elements: a SetupIntent is opened on the customer's Stripe customer; its client secret goes to this
        // browser only, Stripe's form confirms it, and the confirmed seti_… comes back as the token of the POST above
        area.post(app, PAGE + "/setup_intent", Portal.ADMIN, (ctx, session) -> {
            if (stripePublishableKey.isEmpty() || !"stripe".equals(portal.uc().paymentMethods().gatewayName())) {
                throw new AccrueException(ErrorCode.NOT_FOUND, "No browser form to set up with this payment provider");
            }
            PortalScope scope = portal.scope(session);
            BrowserSetups.Setup setup = portal.uc().paymentMethods().beginBrowserSetup(scope.caller(), scope.customer().id(), Secrets.newToken());
            ctx.contentType("application/json").result(JSON.writeValueAsString(Map.of("client_secret", setup.clientSecret())));
        });
        // SEPA Direct Debit through Stripe's IBAN field: a SetupIntent for sepa_debit only, confirmed by the browser with the
        // account holder's name and email once the mandate text was accepted; the seti_… comes back as the token above
        area.post(app, PAGE + "/sepa_setup_intent", Portal.ADMIN, (ctx, session) -> {
            if (stripePublishableKey.isEmpty() || !"stripe".equals(portal.uc().paymentMethods().gatewayName())) {
                throw new AccrueException(ErrorCode.NOT_FOUND, "No browser form to set up with this payment provider");
            }
            PortalScope scope = portal.scope(session);
            BrowserSetups.Setup setup = portal.uc().paymentMethods().beginSepaDebitSetup(scope.caller(), scope.customer().id(), Secrets.newToken());
            ctx.contentType("application/json").result(JSON.writeValueAsString(Map.of("client_secret", setup.clientSecret())));
        });
        area.post(app, PAGE + "/{id}/default", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            PaymentMethod m = method(scope, ctx.pathParam("id"));
            portal.uc().paymentMethods().makeDefault(scope.caller(), scope.customer().id(), m.id());
            ctx.redirect(PAGE + "?notice=default_method_saved");
        });
        area.post(app, PAGE + "/{id}/move", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            PaymentMethod m = method(scope, ctx.pathParam("id"));
            String direction = Portal.field(ctx, "direction", 4);
            int to = switch (direction) {
                case "up" -> Math.max(1, m.priority() - 1);
                case "down" -> m.priority() + 1;
                default -> throw AccrueException.invalid("direction", "direction is up or down");
            };
            portal.uc().paymentMethods().update(scope.caller(), scope.customer().id(), m.id(), new PaymentMethodService.Change(null, null, null, to));
            ctx.redirect(PAGE + "?notice=method_order_saved");
        });
        area.post(app, PAGE + "/{id}/expiry", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            PaymentMethod m = method(scope, ctx.pathParam("id"));
            int month = number(Portal.field(ctx, "exp_month", 2), "exp_month");
            int year = number(Portal.field(ctx, "exp_year", 4), "exp_year");
            refusedOr(ctx, "expiry_saved", () -> portal.uc().paymentMethods().update(scope.caller(), scope.customer().id(), m.id(),
                    new PaymentMethodService.Change(month, year, null, null)));
        });
        area.post(app, PAGE + "/{id}/remove", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            PaymentMethod m = method(scope, ctx.pathParam("id"));
            refusedOr(ctx, "method_removed", () -> {
                portal.uc().paymentMethods().remove(scope.caller(), scope.customer().id(), m.id());
                return null;
            });
        });
    }

    private List<PaymentMethod> methods(PortalScope scope) {
        return portal.uc().paymentMethods().list(scope.caller(), scope.customer().id());
    }

    /** The id from the URL, only when it is one of this customer's methods (another customer's answers like an unknown one). */
    private PaymentMethod method(PortalScope scope, String id) {
        return portal.uc().paymentMethods().get(scope.caller(), scope.customer().id(), id);
    }

    /**
     * Runs a change the API may refuse for business reasons (the last method of an auto-pay customer, a declined or
     * past-dated card): the refusal comes back to the page as its stable code, shown as a message; the refused
     * change wrote nothing (the use case checks before it writes).
     */
    private static void refusedOr(Context ctx, String notice, Supplier<Object> change) {
        try {
            change.get();
            ctx.redirect(PAGE + "?notice=" + notice);
        } catch (AccrueException e) {
            if (!SHOWN.contains(e.code())) {
                throw e;
            }
            ctx.redirect(PAGE + "?refused=" + e.code().wire());
        }
    }

    private static int number(String text, String field) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw AccrueException.invalid(field, field + " must be a number");
        }
    }
}

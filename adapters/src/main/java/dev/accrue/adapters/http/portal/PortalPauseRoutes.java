package dev.accrue.adapters.http.portal;

import dev.accrue.app.portal.CancelAlternative;
import dev.accrue.app.subscription.pause.SubscriptionPause;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.Subscription;
import io.javalin.config.RoutesConfig;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Pause as an alternative to cancelling, and resume: the portal admin pauses until a date they pick, through the
 * API's {@code PauseService} (unused days credited, no fixed fees while paused, the same refusals). Pausing is
 * allowed only when the tenant offers it on the cancel page (a {@code pause} cancel alternative) — checked here on
 * the server, not only by hiding the button; resuming a paused subscription is always allowed.
 */
public final class PortalPauseRoutes {
    private final Portal portal;

    public PortalPauseRoutes(Portal portal) {
        this.portal = portal;
    }

    public void register(RoutesConfig app) {
        var area = portal.area();
        area.post(app, "/portal/subscriptions/{id}/pause", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Subscription sub = scope.subscription(ctx.pathParam("id"));
            boolean offered = portal.uc().cancelAlternatives().list(scope.caller()).stream().anyMatch(a -> a.kind() == CancelAlternative.Kind.PAUSE);
            if (!offered) {
                throw new AccrueException(ErrorCode.FORBIDDEN, "Pausing is not offered; contact us to pause your subscription");
            }
            portal.uc().pauses().pause(scope.caller(), sub.id(), date(Portal.field(ctx, "resume_on", 10)));
            ctx.redirect("/portal?notice=paused");
        });
        area.post(app, "/portal/subscriptions/{id}/resume", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            portal.uc().pauses().resume(scope.caller(), scope.subscription(ctx.pathParam("id")).id());
            ctx.redirect("/portal?notice=resumed");
        });
    }

    /** The subscription's running pause, if any. */
    static Optional<SubscriptionPause> openPause(Portal portal, PortalScope scope, Subscription sub) {
        return portal.uc().pauses().list(scope.caller(), sub.id()).stream().filter(p -> p.resumedOn() == null).findFirst();
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw AccrueException.invalid("resume_on", "resume_on must be a date such as 2026-07-16");
        }
    }
}

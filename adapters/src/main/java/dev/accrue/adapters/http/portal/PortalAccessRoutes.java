package dev.accrue.adapters.http.portal;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.app.portal.PortalAccess;
import dev.accrue.app.web.WebSessions;
import dev.accrue.core.error.AccrueException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Into and out of the portal: {@code POST /v1/portal_sessions} (the tenant's backend asks for a one-time link),
 * the link itself (exchanged for the session cookie, then forgotten) and signing out.
 */
public final class PortalAccessRoutes {
    private final PortalAccess access;
    private final WebArea area;
    private final Idempotency idempotency;
    private final Supplier<String> publicUrl;

    public PortalAccessRoutes(PortalAccess access, WebArea area, Idempotency idempotency, Supplier<String> publicUrl) {
        this.access = access;
        this.area = area;
        this.idempotency = idempotency;
        this.publicUrl = publicUrl;
    }

    record PortalSessionRequest(String customerId, String email, String role, String returnUrl, String locale) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/portal_sessions", this::create);
        app.get(PortalAccess.ENTRY_PATH + "{token}", this::enter);
        area.post(app, "/portal/sign_out", Portal.ANY_USER, (ctx, session) -> {
            area.signOut(ctx);
            ctx.redirect(session.returnUrl() == null ? "/" : session.returnUrl());
        });
    }

    private void create(Context ctx) {
        PortalSessionRequest req = Requests.body(ctx, PortalSessionRequest.class);
        // the link is a secret shown once: a replay of the same Idempotency-Key answers without it
        idempotency.createShownOnce(ctx, 201, () -> access.createLink(Requests.caller(ctx), req.customerId(), req.email(), req.role(), req.returnUrl(),
                req.locale()), issued -> view(issued, null), issued -> view(issued, publicUrl.get() + issued.path()));
    }

    private Map<String, Object> view(PortalAccess.IssuedLink issued, String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "portal_session");
        body.put("id", issued.link().id());
        body.put("customer_id", issued.link().customerId());
        body.put("email", issued.link().email());
        body.put("role", issued.link().role().wire());
        body.put("url", url);
        body.put("expires_at", issued.link().expiresAt().toString());
        return body;
    }

    /** The link: a GET that opens the session and redirects, so the token leaves the address bar at once. */
    private void enter(Context ctx) {
        WebArea.headers(ctx);
        try {
            WebSessions.Opened opened = access.enter(ctx.pathParam("token"));
            area.signIn(ctx, opened);
            ctx.redirect("/portal");
        } catch (AccrueException e) {
            // refused (used, expired, unknown): said in the language the link was issued in, when there is one
            String language = access.languageOf(ctx.pathParam("token"));
            area.error(ctx, null, e, "error.web.link_expired", language == null ? null : Locale.forLanguageTag(language));
        }
    }
}

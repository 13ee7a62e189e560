package dev.accrue.adapters.http.portal;

import dev.accrue.adapters.http.web.Branding;
import dev.accrue.adapters.http.web.Formats;
import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.app.auth.Actor;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.portal.PortalRole;
import dev.accrue.app.web.WebSession;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import io.javalin.http.Context;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What every portal page shares: who is looking (the session's customer, as a caller that can only write when
 * the user is a portal admin), how to format for them, the tenant's branding, and the page frame's model.
 */
public final class Portal {
    public static final String COOKIE = "accrue_portal";
    /** Members see the plan summary and usage; every other page and every change needs a portal admin. */
    public static final Predicate<WebSession> ANY_USER = s -> true;
    public static final Predicate<WebSession> ADMIN = s -> PortalRole.ADMIN.wire().equals(s.role());
    private static final Pattern NOTICE = Pattern.compile("[a-z_]{1,40}");
    private final PortalUseCases uc;
    private final WebArea area;

    public Portal(PortalUseCases uc, WebArea area) {
        this.uc = uc;
        this.area = area;
    }

    public WebArea area() {
        return area;
    }

    public PortalUseCases uc() {
        return uc;
    }

    public PortalScope scope(WebSession session) {
        Role role = ADMIN.test(session) ? Role.ADMIN : Role.READ_ONLY;
        Caller caller = new Caller(session.tenantId(), new Actor(Actor.Type.USER, "portal:" + session.email()), role);
        Customer customer = uc.customers().get(caller, session.subjectId());
        return new PortalScope(uc, caller, customer);
    }

    public static Locale locale(Context ctx, WebSession session) {
        if (session.locale() != null) {
            return Locale.forLanguageTag(session.locale());
        }
        Locale requested = ctx.req().getLocale();
        return requested == null ? Locale.ENGLISH : requested;
    }

    /** Renders {@code template} inside the portal frame. */
    public void render(Context ctx, WebSession session, PortalScope scope, String template, Map<String, Object> page) {
        Locale locale = locale(ctx, session);
        Map<String, Object> model = new HashMap<>(page);
        model.put("fmt", new Formats(locale, scope.customer().timeZone() == null ? ZoneId.of("UTC") : scope.customer().timeZone()));
        model.put("brand", Branding.of(uc.sellers().of(session.tenantId())));
        model.put("customer", scope.customer());
        model.put("user", session.email());
        model.put("admin", ADMIN.test(session));
        {
            model.put("unread", uc.notifications().list(scope.caller(), scope.customer().id(), session.email(), true, PageRequest.first(1)).unreadCount());
        }
        model.put("csrf", session.csrfToken());
        model.put("returnUrl", session.returnUrl());
        model.put("path", ctx.path());
        model.put("lang", locale.getLanguage());
        String notice = ctx.queryParam("notice");
        if (notice != null && NOTICE.matcher(notice).matches()) {
            model.put("notice", "notice." + notice);
        }
        area.render(ctx, 200, "portal/" + template, model, locale);
    }

    /** A required form field, at most {@code max} characters. */
    public static String field(Context ctx, String name, int max) {
        String value = ctx.formParam(name);
        if (value == null || value.isBlank()) {
            throw AccrueException.invalid(name, name + " is required");
        }
        if (value.length() > max) {
            throw AccrueException.invalid(name, name + " is " + value.length() + " characters long; at most " + max + " are allowed");
        }
        return value.strip();
    }
}

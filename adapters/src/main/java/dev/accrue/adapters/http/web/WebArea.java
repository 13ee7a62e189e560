package dev.accrue.adapters.http.web;

import dev.accrue.adapters.http.support.ErrorMapper;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.web.Secrets;
import dev.accrue.app.web.WebSession;
import dev.accrue.app.web.WebSessions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One signed-in web area (the portal or the console) and the one place its access rules are enforced: every
 * route is registered here with the rule of who may use it. A request without a live session is refused; a
 * session whose role the rule refuses gets 403 (the page and its POST alike); every POST must carry the
 * session's CSRF token. Errors become HTML pages with the status {@link ErrorMapper} gives their code.
 */
public final class WebArea {
    public static final String CSRF_FIELD = "csrf";
    private final String kind;
    private final String cookieName;
    private final String cookiePath;
    private final String signInPath;
    private final WebSessions sessions;
    private final WebTemplates templates;
    private final Transactions tx;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    public WebArea(String kind, String cookieName, String cookiePath, String signInPath, WebSessions sessions, WebTemplates templates,
                   Transactions tx) {
        this.tx = tx;
        this.kind = kind;
        this.cookieName = cookieName;
        this.cookiePath = cookiePath;
        this.signInPath = signInPath;
        this.sessions = sessions;
        this.templates = templates;
    }

    @FunctionalInterface
    public interface Handler {
        void handle(Context ctx, WebSession session) throws Exception;
    }

    /** A page or form of this area, as registered (Javalin's path, e.g. {@code /portal/invoices/{id}}). */
    public record Route(String method, String path) {
    }

    /**
     * Every route registered through this area, so that tests and benchmarks can go through all of them (every form
     * attacked with a forged token, every page timed) instead of a list that forgets the newest.
     */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public void get(RoutesConfig app, String path, Predicate<WebSession> allowed, Handler handler) {
        routes.add(new Route("GET", path));
        app.get(path, ctx -> guarded(ctx, allowed, false, handler));
    }

    public void post(RoutesConfig app, String path, Predicate<WebSession> allowed, Handler handler) {
        routes.add(new Route("POST", path));
        app.post(path, ctx -> guarded(ctx, allowed, true, handler));
    }

    /**
     * A POST whose use case calls a payment gateway and manages its own transactions (stores its intent, calls the
     * gateway outside any transaction, then records the outcome): not wrapped in the page's transaction, which would
     * hold row locks during the call and could undo the record of money that already moved.
     */
    public void postCallingGateway(RoutesConfig app, String path, Predicate<WebSession> allowed, Handler handler) {
        routes.add(new Route("POST", path));
        app.post(path, ctx -> guarded(ctx, allowed, true, handler, false));
    }

    private void guarded(Context ctx, Predicate<WebSession> allowed, boolean post, Handler handler) {
        guarded(ctx, allowed, post, handler, true);
    }

    private void guarded(Context ctx, Predicate<WebSession> allowed, boolean post, Handler handler, boolean pageTransaction) {
        headers(ctx);
        WebSession session = sessions.find(kind, ctx.cookie(cookieName)).orElse(null);
        if (session == null) {
            if (signInPath != null && !post) {
                ctx.redirect(signInPath);
            } else {
                error(ctx, null, new AccrueException(ErrorCode.UNAUTHENTICATED, "Your session has expired; open a new link to sign in again"),
                        "error.web.session_expired", null);
            }
            return;
        }
        if (!allowed.test(session)) {
            error(ctx, session, new AccrueException(ErrorCode.FORBIDDEN, "Your role does not allow this page"), "error.web.role", null);
            return;
        }
        if (post && !Secrets.same(session.csrfToken(), ctx.formParam(CSRF_FIELD))) {
            error(ctx, session, new AccrueException(ErrorCode.FORBIDDEN, "This form is out of date or was not sent by this site; reload the page and try again"),
                    "error.web.csrf", null);
            return;
        }
        try {
            // one transaction per page: what it shows is one consistent snapshot, and a change it makes commits whole
            if (!pageTransaction) {
                handle(handler, ctx, session);
                return;
            }
            tx.inTransaction(() -> {
                handle(handler, ctx, session);
                return null;
            });
        } catch (AccrueException e) {
            error(ctx, session, e);
        }
    }

    private static void handle(Handler handler, Context ctx, WebSession session) {
        try {
            handler.handle(ctx, session);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the browser reached us over https. */
    public void signIn(Context ctx, WebSessions.Opened opened) {
        long seconds = opened.lifetime().toSeconds();
        Cookie cookie = new Cookie(cookieName, opened.secret(), cookiePath, (int) seconds, secure(ctx), true, null, SameSite.LAX);
        ctx.cookie(cookie);
        // the session's language outlives the session, so that the page saying it expired is in that language too
        String locale = opened.session().locale();
        boolean keep = locale != null && LANGUAGE_TAG.matcher(locale).matches();
        ctx.cookie(new Cookie(languageCookie(), keep ? locale : "", cookiePath, keep ? LANGUAGE_COOKIE_SECONDS : 0, secure(ctx), true, null, SameSite.LAX));
    }

    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}");
    private static final int LANGUAGE_COOKIE_SECONDS = 30 * 24 * 3600;

    /** Not a secret and not an identity: only the language the area's error pages speak once the session is gone. */
    private String languageCookie() {
        return cookieName + "_lang";
    }

    public void signOut(Context ctx) {
        sessions.close(ctx.cookie(cookieName));
        ctx.cookie(new Cookie(cookieName, "", cookiePath, 0, secure(ctx), true, null, SameSite.LAX));
    }

    public void render(Context ctx, int status, String template, Map<String, Object> model, Locale locale) {
        headers(ctx);
        ctx.status(status).contentType("text/html; charset=utf-8").result(templates.render(template, model, locale));
    }

    public void error(Context ctx, WebSession session, AccrueException e) {
        error(ctx, session, e, null, null);
    }

    /**
     * The error page: a title and the sentence for the error ({@code textKey}, a sentence of the area's own, e.g. a
     * refused CSRF token, else the error's own; see {@link ErrorTexts}), what the viewer can do about it
     * ({@code error.hint.<area>.<status>}), and a way back that works: the portal's own pages only while the session
     * lives, else the tenant's return URL (the portal cannot sign anyone in by itself). {@code preferred} is a language
     * known to the caller (a refused link's), used when there is no session.
     */
    public void error(Context ctx, WebSession session, AccrueException e, String textKey, Locale preferred) {
        Locale locale = errorLocale(ctx, session, preferred);
        int status = ErrorMapper.status(e.code());
        Map<String, Object> model = new HashMap<>();
        model.put("status", status);
        model.put("code", e.code().wire());
        model.put("title", ErrorTexts.text("error.title." + status, locale).orElseGet(() -> ErrorTexts.text("error.title", locale).orElse("Error")));
        model.put("message", ErrorTexts.message(e, status, locale, textKey));
        ErrorTexts.text("error.hint." + kind + "." + status, locale).ifPresent(hint -> model.put("hint", hint));
        model.put("lang", locale.getLanguage());
        String home = session != null ? cookiePath : signInPath;
        if (home != null) {
            model.put("home", home);
        }
        if (session != null && session.returnUrl() != null) {
            model.put("returnUrl", session.returnUrl());
        }
        render(ctx, status, "error", model, locale);
    }

    /**
     * The viewer's language: the session's (the portal link's), else the one the caller knows ({@code preferred}), else
     * the one the area's last session left in its language cookie, else the browser's Accept-Language (the console's
     * staff), else English.
     */
    private Locale errorLocale(Context ctx, WebSession session, Locale preferred) {
        if (session != null && session.locale() != null) {
            return Locale.forLanguageTag(session.locale());
        }
        if (preferred != null) {
            return preferred;
        }
        String remembered = ctx.cookie(languageCookie());
        if (remembered != null && LANGUAGE_TAG.matcher(remembered).matches()) {
            return Locale.forLanguageTag(remembered);
        }
        Locale requested = ctx.header("Accept-Language") == null ? null : ctx.req().getLocale();
        return requested == null || requested.getLanguage().isEmpty() ? Locale.ENGLISH : requested;
    }

    /**
     * Login CSRF (a form that signs in has no session yet): a random token is set in a short-lived cookie
     * (HttpOnly, SameSite=Strict, only sent to {@code path}) and echoed in the form; {@link #preSessionTokenMatches}
     * accepts a POST only when both are present and equal. Another site can make a browser post the form but can
     * neither read nor set our cookie, so it cannot sign a victim in to the attacker's account.
     */
    public static String issuePreSessionToken(Context ctx, String cookie, String path) {
        String token = ctx.cookie(cookie);
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            token = Secrets.newToken();
        }
        ctx.cookie(new Cookie(cookie, token, path, 3600, secure(ctx), true, null, SameSite.STRICT));
        return token;
    }

    public static boolean preSessionTokenMatches(Context ctx, String cookie) {
        String expected = ctx.cookie(cookie);
        return expected != null && !expected.isEmpty() && Secrets.same(expected, ctx.formParam(CSRF_FIELD));
    }

    static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    /** No caching of pages with customer data; scripts only from this origin, so injected markup cannot run. */
    public static void headers(Context ctx) {
        ctx.header("Cache-Control", "private, no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", contentSecurityPolicy(Boolean.TRUE.equals(ctx.attribute(STRIPE_JS))));
    }

    /** Set on a request whose page mounts Stripe Elements: only that page's policy also allows Stripe.js and its frames. */
    public static final String STRIPE_JS = "accrue.csp.stripe";

    /**
     * Scripts only from Accrue itself; with {@code stripeJs} also from js.stripe.com, Stripe's frames (the card and
     * bank fields live in Stripe's iframes, 3-D Secure in hooks.stripe.com) and the calls Stripe.js makes to its API —
     * Stripe's documented CSP for Elements.
     */
    public static String contentSecurityPolicy(boolean stripeJs) {
        if (!stripeJs) {
            return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    + "form-action 'self'; base-uri 'none'; object-src 'none'";
        }
        return "default-src 'self'; script-src 'self' https://js.stripe.com; style-src 'self' 'unsafe-inline'; img-src 'self' data: https://*.stripe.com; "
                + "frame-src https://js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com; "
                + "form-action 'self'; base-uri 'none'; object-src 'none'";
    }
}

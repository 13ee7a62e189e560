package dev.accrue.adapters.http.console;

import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.adapters.http.web.WebTemplates;
import dev.accrue.app.console.StaffPasswordResets;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * A forgotten console password, before any session: ask for a link by email ({@code /console/password/forgot}),
 * then set a new password through the emailed single-use link ({@code /console/password/reset/{token}}). Both
 * forms carry a login-CSRF token like the sign-in form (cookie {@value #COOKIE}), so another site cannot post them.
 * Asking always shows the same page, whether or not the email has an account. The email's words are the console's
 * bundles in the language of the browser that asked.
 */
public final class ConsolePasswordPages {
    static final String COOKIE = "accrue_console_password";
    private static final String PATH = "/console/password";
    private final StaffPasswordResets resets;
    private final WebArea area;
    private final Supplier<String> publicUrl;

    public ConsolePasswordPages(StaffPasswordResets resets, WebArea area, Supplier<String> publicUrl) {
        this.resets = resets;
        this.area = area;
        this.publicUrl = publicUrl;
    }

    public void register(RoutesConfig app) {
        app.get(PATH + "/forgot", ctx -> page(ctx, 200, "forgot", null));
        app.post(PATH + "/forgot", ctx -> {
            WebArea.headers(ctx);
            if (!WebArea.preSessionTokenMatches(ctx, COOKIE)) {
                page(ctx, 403, "forgot", "console.password.error.forged");
                return;
            }
            Locale locale = ConsolePages.locale(ctx);
            ResourceBundle words = ResourceBundle.getBundle("web.messages", locale);
            String email = ctx.formParam("email");
            resets.request(email == null || email.length() > 254 ? null : email, token -> publicUrl.get() + PATH + "/reset/" + token,
                    link -> new StaffPasswordResets.Mail(words.getString("console.password.mail.subject"),
                            MessageFormat.format(words.getString("console.password.mail.text"), link, StaffPasswordResets.LINK_LIFETIME.toMinutes())));
            page(ctx, 200, "sent", null);
        });
        app.get(PATH + "/reset/{token}", ctx -> page(ctx, 200, "reset", null));
        app.post(PATH + "/reset/{token}", ctx -> {
            WebArea.headers(ctx);
            if (!WebArea.preSessionTokenMatches(ctx, COOKIE)) {
                page(ctx, 403, "reset", "console.password.error.forged");
                return;
            }
            String password = ctx.formParam("password");
            if (password == null || !password.equals(ctx.formParam("confirm"))) {
                page(ctx, 400, "reset", "console.password.error.mismatch");
                return;
            }
            try {
                resets.reset(ctx.pathParam("token"), password);
            } catch (AccrueException e) {
                boolean expired = e.code() == ErrorCode.UNAUTHENTICATED;
                page(ctx, expired ? 401 : 400, expired ? "expired" : "reset", expired ? null : "console.password.error.short");
                return;
            }
            ctx.redirect("/console/login?notice=password_reset");
        });
    }

    private void page(Context ctx, int status, String step, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", WebArea.issuePreSessionToken(ctx, COOKIE, PATH));
        model.put("step", step);
        model.put("action", ctx.path());
        if (error != null) {
            model.put("error", error);
        }
        Locale locale = ConsolePages.locale(ctx);
        model.put("lang", locale.getLanguage());
        area.render(ctx, status, "console/password", model, locale);
    }
}

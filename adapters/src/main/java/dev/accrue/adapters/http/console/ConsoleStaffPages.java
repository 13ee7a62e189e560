package dev.accrue.adapters.http.console;

import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.app.console.StaffRole;
import dev.accrue.app.web.WebSession;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Staff management for the console's admins: the tenant's staff, adding one (email, name, role, initial password,
 * hashed by the use case with the memory-hard hasher), changing a role, deactivating and reactivating. Only admins reach these
 * routes ({@link WebArea} checks the rule) and {@code StaffService} checks again that the acting user is an active
 * admin; the last active admin cannot be demoted or deactivated ({@code last_admin}), shown as a message.
 */
final class ConsoleStaffPages {
    static final Predicate<WebSession> MANAGES_STAFF = s -> StaffRole.fromWire(s.role()) == StaffRole.ADMIN;
    private static final String PAGE = "/console/staff";
    /** Refusals the page explains by code; a malformed form is a 400 page. */
    private static final Set<ErrorCode> SHOWN = EnumSet.of(ErrorCode.LAST_ADMIN, ErrorCode.ALREADY_EXISTS, ErrorCode.VALIDATION_FAILED);
    private final ConsolePages pages;
    private final ConsoleUseCases uc;
    private final WebArea area;

    ConsoleStaffPages(ConsolePages pages, ConsoleUseCases uc, WebArea area) {
        this.pages = pages;
        this.uc = uc;
        this.area = area;
    }

    void register(RoutesConfig app) {
        area.get(app, PAGE, MANAGES_STAFF, (ctx, s) -> {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("staff", uc.staff().list(ConsolePages.caller(s)));
            page.put("roles", Arrays.stream(StaffRole.values()).map(StaffRole::wire).toList());
            page.put("me", s.subjectId());
            String refused = ctx.queryParam("refused");
            if (SHOWN.stream().anyMatch(c -> c.wire().equals(refused))) {
                page.put("refused", "console.staff.refused." + refused);
            }
            pages.render(ctx, s, "staff", page);
        });
        area.post(app, PAGE, MANAGES_STAFF, (ctx, s) -> {
            String email = ConsolePages.field(ctx, "email", 254);
            String name = ConsolePages.field(ctx, "name", 200);
            String role = ConsolePages.field(ctx, "role", 20);
            String password = ctx.formParam("password");
            if (password != null && password.length() > 200) {
                throw AccrueException.invalid("password", "password is at most 200 characters");
            }
            refusedOr(ctx, "staff_added", () -> uc.staff().add(ConsolePages.caller(s), s.subjectId(), email, name, role, password));
        });
        area.post(app, PAGE + "/{id}/role", MANAGES_STAFF, (ctx, s) -> {
            String role = ConsolePages.field(ctx, "role", 20);
            refusedOr(ctx, "staff_role_changed", () -> uc.staff().changeRole(ConsolePages.caller(s), s.subjectId(), ctx.pathParam("id"), role));
        });
        area.post(app, PAGE + "/{id}/deactivate", MANAGES_STAFF, (ctx, s) ->
                refusedOr(ctx, "staff_deactivated", () -> uc.staff().deactivate(ConsolePages.caller(s), s.subjectId(), ctx.pathParam("id"))));
        area.post(app, PAGE + "/{id}/reactivate", MANAGES_STAFF, (ctx, s) ->
                refusedOr(ctx, "staff_reactivated", () -> uc.staff().reactivate(ConsolePages.caller(s), s.subjectId(), ctx.pathParam("id"))));
    }

    private static void refusedOr(Context ctx, String notice, Runnable change) {
        try {
            change.run();
            ctx.redirect(PAGE + "?notice=" + notice);
        } catch (AccrueException e) {
            if (!SHOWN.contains(e.code())) {
                throw e;
            }
            ctx.redirect(PAGE + "?refused=" + e.code().wire());
        }
    }
}

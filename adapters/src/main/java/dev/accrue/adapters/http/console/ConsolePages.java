package dev.accrue.adapters.http.console;

import dev.accrue.adapters.http.web.Formats;
import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.app.audit.AuditQuery;
import dev.accrue.app.auth.Actor;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.console.StaffRole;
import dev.accrue.app.creditnote.CreditNoteRequest;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.payment.PaymentService;
import dev.accrue.app.subscription.ChangeResult;
import dev.accrue.app.web.WebSession;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.Subscription;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The operator console: sign-in for the tenant's staff, customers and search, a customer's account (subscriptions,
 * invoices, payments, payment methods, dunning state, wallet, credit notes, audit trail), billing runs, catalog versions, and credit notes, manual payments and plan changes on a customer's
 * behalf, each confirmed after a preview. Roles are checked per route by {@link WebArea}.
 */
public final class ConsolePages {
    public static final String COOKIE = "accrue_console";
    /** The login-CSRF cookie of the sign-in form (there is no session yet to hold a token). */
    public static final String LOGIN_COOKIE = "accrue_console_login";
    static final Predicate<WebSession> ANY_STAFF = s -> true;
    static final Predicate<WebSession> CHANGES_PLANS = s -> StaffRole.fromWire(s.role()).canChangePlans();
    static final Predicate<WebSession> ISSUES_CREDIT = s -> StaffRole.fromWire(s.role()).canIssueCredit();
    static final Predicate<WebSession> RECORDS_PAYMENTS = s -> StaffRole.fromWire(s.role()).canRecordPayments();
    /** The API's refusals of a manual payment the customer page explains by code; anything else is an error page. */
    private static final Set<ErrorCode> PAYMENT_REFUSALS = EnumSet.of(ErrorCode.INVOICE_NOT_OPEN, ErrorCode.VALIDATION_FAILED, ErrorCode.MISSING_FIELD,
            ErrorCode.CURRENCY_MISMATCH);
    /** The API's refusals of a well-formed refund, explained on the customer page by code (a wrong credit note id is a 404 page). */
    private static final Set<ErrorCode> REFUND_REFUSALS = EnumSet.of(ErrorCode.REFUND_EXCEEDS_PAID, ErrorCode.VALIDATION_FAILED,
            ErrorCode.INVALID_AMOUNT);
    private final ConsoleUseCases uc;
    private final WebArea area;

    public ConsolePages(ConsoleUseCases uc, WebArea area) {
        this.uc = uc;
        this.area = area;
    }

    public void register(RoutesConfig app) {
        app.get("/console/login", ctx -> loginPage(ctx, 200, null, ""));
        app.post("/console/login", this::signIn);
        area.post(app, "/console/logout", ANY_STAFF, (ctx, s) -> {
            area.signOut(ctx);
            ctx.redirect("/console/login");
        });
        area.get(app, "/console", ANY_STAFF, (ctx, s) -> ctx.redirect("/console/customers"));
        area.get(app, "/console/customers", ANY_STAFF, (ctx, s) -> {
            String q = ctx.queryParam("q");
            CustomerQuery query = q == null || q.isBlank() ? CustomerQuery.all() : new CustomerQuery(q.strip(), null, null);
            render(ctx, s, "customers", Map.of("q", q == null ? "" : q,
                    "customers", uc.customers().list(caller(s), query, PageRequest.first(50)).items()));
        });
        area.get(app, "/console/customers/{id}", ANY_STAFF, (ctx, s) -> customer(ctx, s));
        area.get(app, "/console/catalog", ANY_STAFF, (ctx, s) -> render(ctx, s, "catalog", Map.of("versions", uc.catalogs().versions(caller(s)))));
        area.post(app, "/console/invoices/{id}/credit_note/preview", ISSUES_CREDIT, (ctx, s) -> {
            Invoice invoice = uc.invoices().get(caller(s), ctx.pathParam("id"));
            BigDecimal amount = amount(ctx);
            String reason = field(ctx, "reason", 500);
            render(ctx, s, "credit_preview", Map.of("invoice", invoice, "amount", dev.accrue.core.money.Money.of(amount,
                    invoice.total().currency().getCurrencyCode()), "amountText", amount.toPlainString(), "reason", reason));
        });
        area.post(app, "/console/invoices/{id}/credit_note", ISSUES_CREDIT, (ctx, s) -> {
            Invoice invoice = uc.invoices().get(caller(s), ctx.pathParam("id"));
            uc.creditNotes().create(caller(s), invoice.id(), new CreditNoteRequest(field(ctx, "reason", 500), null, amount(ctx), null));
            ctx.redirect("/console/customers/" + invoice.customerId() + "?notice=credit_note_issued");
        });
        area.post(app, "/console/invoices/{id}/payments", RECORDS_PAYMENTS, (ctx, s) -> {
            Invoice invoice = uc.invoices().get(caller(s), ctx.pathParam("id"));
            String target = "/console/customers/" + invoice.customerId();
            // what the form itself gets wrong is a 400 page; what the API refuses of a well-formed payment is a message
            PaymentService.ManualPayment payment = new PaymentService.ManualPayment(amount(ctx), null, receivedOn(ctx), field(ctx, "method", 20),
                    optional(ctx, "reference", 100));
            try {
                uc.payments().recordManual(caller(s), invoice.id(), payment);
                ctx.redirect(target + "?notice=payment_recorded");
            } catch (AccrueException e) {
                if (!PAYMENT_REFUSALS.contains(e.code())) {
                    throw e;
                }
                ctx.redirect(target + "?refused=" + e.code().wire());
            }
        });
        // the refund calls the gateway: the use case runs its own transactions around the call (see PaymentService.refund)
        area.postCallingGateway(app, "/console/payments/{id}/refunds", RECORDS_PAYMENTS, (ctx, s) -> {
            var payment = uc.payments().get(caller(s), ctx.pathParam("id"));
            String target = "/console/customers/" + payment.customerId();
            BigDecimal amount = optional(ctx, "amount", 20) == null ? null : amount(ctx);
            var request = new PaymentService.RefundRequest(amount, optional(ctx, "reason", 500), optional(ctx, "credit_note_id", 40));
            try {
                var refund = uc.payments().refund(caller(s), payment.id(), request);
                ctx.redirect(target + "?notice=" + (refund.status().equals("succeeded") ? "refunded" : "refund_failed"));
            } catch (AccrueException e) {
                if (!REFUND_REFUSALS.contains(e.code())) {
                    throw e;
                }
                ctx.redirect(target + "?refused=" + (e.code() == ErrorCode.REFUND_EXCEEDS_PAID ? e.code().wire() : "refund_" + e.code().wire()));
            }
        });
        area.get(app, "/console/billing_runs", ANY_STAFF, (ctx, s) -> {
            Instant now = uc.clock().instant();
            var runs = uc.billingRuns().list(caller(s), PageRequest.first(50)).items().stream()
                    .map(r -> Map.<String, Object>of("run", r, "status", r.status(now))).toList();
            // while a run is going the page polls itself (accrue.js) until it renders without data-live-refresh
            render(ctx, s, "billing_runs", Map.of("runs", runs, "live", runs.stream().anyMatch(r -> "running".equals(r.get("status")))));
        });
        area.post(app, "/console/subscriptions/{id}/change/preview", CHANGES_PLANS, (ctx, s) -> {
            Subscription sub = uc.subscriptions().get(caller(s), ctx.pathParam("id"));
            String plan = field(ctx, "plan", 100);
            ChangeResult result = uc.subscriptions().changePlan(caller(s), sub.id(), plan, false, true);
            render(ctx, s, "change_preview", Map.of("sub", sub, "plan", plan, "result", result));
        });
        area.post(app, "/console/subscriptions/{id}/change", CHANGES_PLANS, (ctx, s) -> {
            Subscription sub = uc.subscriptions().get(caller(s), ctx.pathParam("id"));
            uc.subscriptions().changePlan(caller(s), sub.id(), field(ctx, "plan", 100), false, false);
            ctx.redirect("/console/customers/" + sub.customerId() + "?notice=plan_changed");
        });
        new ConsoleStaffPages(this, uc, area).register(app);
    }

    /** The sign-in form with a fresh login-CSRF token (cookie and hidden field, see {@link WebArea#issuePreSessionToken}). */
    private void loginPage(Context ctx, int status, String error, String email) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", WebArea.issuePreSessionToken(ctx, LOGIN_COOKIE, "/console/login"));
        model.put("email", email);
        if (error != null) {
            model.put("error", error);
        }
        if ("password_reset".equals(ctx.queryParam("notice"))) {
            model.put("notice", "notice.password_reset");
        }
        Locale locale = locale(ctx);
        model.put("lang", locale.getLanguage());
        area.render(ctx, status, "console/login", model, locale);
    }

    private void signIn(Context ctx) {
        WebArea.headers(ctx);
        String email = ctx.formParam("email");
        String shownEmail = email == null || email.length() > 254 ? "" : email;
        if (!WebArea.preSessionTokenMatches(ctx, LOGIN_COOKIE)) {
            // checked before the password: a forged sign-in costs no hash, counts no failure and opens no session
            loginPage(ctx, 403, "console.login.error.forged", shownEmail);
            return;
        }
        try {
            area.signIn(ctx, uc.staff().signIn(ctx.formParam("email"), ctx.formParam("password")));
            ctx.redirect("/console/customers");
        } catch (AccrueException e) {
            boolean locked = e.code() == ErrorCode.RATE_LIMITED;
            loginPage(ctx, locked ? 429 : 401, locked ? "console.login.error.rate_limited" : "console.login.error.unauthenticated", shownEmail);
        }
    }

    private void customer(Context ctx, WebSession s) {
        Caller caller = caller(s);
        Customer customer = uc.customers().get(caller, ctx.pathParam("id"));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("c", customer);
        var subs = uc.subscriptions().list(caller, customer.id(), PageRequest.first(PageRequest.MAX_LIMIT)).items();
        page.put("subscriptions", subs.stream().map(sub -> Map.of("sub", sub, "plan", uc.billing().plan(caller.tenantId(), sub),
                "status", uc.subscriptions().status(caller, sub).name().toLowerCase(Locale.ROOT))).toList());
        page.put("plans", uc.catalogs().current(caller, null).catalog().plans());
        page.put("invoices", uc.invoices().list(caller, new InvoiceQuery(customer.id(), null, null, null, null), PageRequest.first(50)).items());
        page.put("wallet", uc.wallets().view(caller, customer.id()));
        page.put("creditNotes", uc.creditNotes().list(caller, customer.id(), null, PageRequest.first(50)).items());
        page.put("payments", uc.payments().list(caller, customer.id(), null, PageRequest.first(50)).items());
        page.put("methods", uc.paymentMethods().list(caller, customer.id()));
        page.put("dunning", uc.payments().openCollections(caller, customer.id()));
        page.put("manualMethods", PaymentService.MANUAL_METHODS.stream().sorted().toList());
        String refused = ctx.queryParam("refused");
        if (PAYMENT_REFUSALS.stream().anyMatch(c -> c.wire().equals(refused))) {
            page.put("refused", "console.refused." + refused);
        }
        if (refused != null && Set.of("refund_exceeds_paid", "refund_validation_failed", "refund_invalid_amount").contains(refused)) {
            page.put("refused", "console.refused." + refused);
        }
        page.put("audit", uc.audit().find(caller, new AuditQuery(customer.id(), null, null, null, null), PageRequest.first(50)).items());
        render(ctx, s, "customer", page);
    }

    /** The staff user as a caller of the use cases: read-only staff can only read, whatever page they reach. */
    static Caller caller(WebSession s) {
        Role role = StaffRole.fromWire(s.role()) == StaffRole.READ_ONLY ? Role.READ_ONLY : Role.ADMIN;
        return new Caller(s.tenantId(), new Actor(Actor.Type.USER, "staff:" + s.email()), role);
    }

    void render(Context ctx, WebSession s, String template, Map<String, Object> page) {
        Map<String, Object> model = new HashMap<>(page);
        Locale locale = locale(ctx);
        model.put("fmt", new Formats(locale, ConsoleTimeZone.of(ctx)));
        model.put("lang", locale.getLanguage());
        model.put("user", s.email());
        model.put("role", s.role());
        model.put("canCredit", ISSUES_CREDIT.test(s));
        model.put("canChange", CHANGES_PLANS.test(s));
        model.put("canRecordPayments", RECORDS_PAYMENTS.test(s));
        model.put("canManageStaff", ConsoleStaffPages.MANAGES_STAFF.test(s));
        model.put("csrf", s.csrfToken());
        String notice = ctx.queryParam("notice");
        if (notice != null && notice.matches("[a-z_]{1,40}")) {
            model.put("notice", "notice." + notice);
        }
        area.render(ctx, 200, "console/" + template, model, locale);
    }

    /**
     * The staff member's language from the browser's Accept-Language (staff have no language setting of their own):
     * the bundles ship English and German, any other language falls back to English; amounts and dates follow it.
     */
    static Locale locale(Context ctx) {
        Locale requested = ctx.header("Accept-Language") == null ? null : ctx.req().getLocale();
        return requested == null || requested.getLanguage().isEmpty() ? Locale.ENGLISH : requested;
    }

    static String field(Context ctx, String name, int max) {
        String value = ctx.formParam(name);
        if (value == null || value.isBlank()) {
            throw AccrueException.invalid(name, name + " is required");
        }
        if (value.length() > max) {
            throw AccrueException.invalid(name, name + " is " + value.length() + " characters long; at most " + max + " are allowed");
        }
        return value.strip();
    }

    private static String optional(Context ctx, String name, int max) {
        String value = ctx.formParam(name);
        return value == null || value.isBlank() ? null : field(ctx, name, max);
    }

    /** The day the money arrived; empty is today (the use case's default). */
    private static LocalDate receivedOn(Context ctx) {
        String value = optional(ctx, "received_on", 10);
        try {
            return value == null ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw AccrueException.invalid("received_on", "received_on is a date such as 2026-06-30");
        }
    }

    private static BigDecimal amount(Context ctx) {
        try {
            BigDecimal amount = new BigDecimal(field(ctx, "amount", 20));
            if (amount.signum() <= 0) {
                throw AccrueException.invalid("amount", "amount must be positive");
            }
            return amount;
        } catch (NumberFormatException e) {
            throw AccrueException.invalid("amount", "amount must be a number such as 25.00");
        }
    }
}

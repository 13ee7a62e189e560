package dev.accrue.server.console;

import dev.accrue.server.support.Unique;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.accrue.app.auth.Caller;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.Mails;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Console staff accounts: a forgotten password reset through an emailed single-use, expiring link (GreenMail
 * receives it), ending every session of the user; an admin reactivating a deactivated user. Attacked: an unknown
 * email (same answer, no email), a used, expired or forged link, a deactivated user's link, forged login-CSRF tokens,
 * a short password, the request throttle, and non-admins or another tenant on the reactivation.
 */
class ConsolePasswordResetTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String NEW_PASSWORD = "a new and longer passphrase";
    private static final Pattern LINK = Pattern.compile("/console/password/reset/[A-Za-z0-9_-]{43}");
    private static final AtomicInteger STAFF = new AtomicInteger();
    private static Chromium chromium;
    private static String tag;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        tag = Unique.suffix();
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    private static String staff(String tenantId, String role) {
        String email = role + "-pw-" + STAFF.incrementAndGet() + "-" + tag + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(tenantId), email, "Staff " + role, role, PASSWORD);
        return email;
    }

    private static String resetLink(String email, int expectedMails) {
        TestNode.get().accrue().mail().dispatch(100);
        List<MimeMessage> mails = Mails.to(email);
        assertThat(mails).hasSize(expectedMails);
        String text = Mails.text(mails.getLast());
        Matcher m = LINK.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }

    private static WebClient.Page ask(WebClient web, String email) {
        return web.post("/console/password/forgot", Map.of("csrf", web.get("/console/password/forgot").csrf(), "email", email));
    }

    private static WebClient.Page reset(WebClient web, String link, String password) {
        return web.post(link, Map.of("csrf", web.get(link).csrf(), "password", password, "confirm", password));
    }

    private static String hash(String email) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM staff_users WHERE email = :e")
                .bind("e", email).mapTo(String.class).one());
    }

    private static long audited(String email, String action) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM audit_events a JOIN staff_users u ON u.tenant_id = a.tenant_id AND u.id = a.object_id
                        WHERE u.email = :e AND a.action = :action""").bind("e", email).bind("action", action).mapTo(Long.class).one());
    }

    @Test
    void aStaffUserResetsAForgottenPasswordThroughTheEmailedLinkAndEverySessionEnds() {
        var tenant = TestNode.get().newTenant("console password reset");
        String email = staff(tenant.id(), "finance");
        String before = hash(email);
        BrowserContext signedIn = chromium.context("en-US");
        Page old = signedIn.newPage();
        old.navigate(TestNode.get().baseUrl() + "/console/login");
        old.fill("#email", email);
        old.fill("#password", PASSWORD);
        old.click("button:has-text('Sign in')");
        assertThat(old).hasURL(Pattern.compile(".*/console/customers$"));

        BrowserContext other = chromium.context("en-US");
        Page page = other.newPage();
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Forgot your password?")).click();
        page.getByLabel("Email").fill(email);
        Chromium.assertAccessible(page);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Email me a link")).click();
        assertThat(page.getByTestId("sent")).containsText("If that email belongs to an active staff account");
        String link = resetLink(email, 1);

        page.navigate(TestNode.get().baseUrl() + link);
        page.getByLabel("New password (at least 12 characters)").fill(NEW_PASSWORD);
        page.getByLabel("New password again").fill(NEW_PASSWORD);
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-password-reset");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set the new password")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Your password was changed and every session of your account was ended.");

        // the session opened with the old password is over; the old password no longer signs in, the new one does
        old.navigate(TestNode.get().baseUrl() + "/console/customers");
        assertThat(old).hasURL(Pattern.compile(".*/console/login$"));
        assertThat(new WebClient(TestNode.get().baseUrl()).signInToConsole(email, PASSWORD).status()).isEqualTo(401);
        assertThat(new WebClient(TestNode.get().baseUrl()).signInToConsole(email, NEW_PASSWORD).status()).isEqualTo(302);
        assertThat(hash(email)).startsWith("$argon2id$").isNotEqualTo(before);
        assertThat(audited(email, "staff_user.password_reset")).isEqualTo(1);
        // the link worked once
        WebClient again = new WebClient(TestNode.get().baseUrl());
        WebClient.Page reused = reset(again, link, "yet another long passphrase");
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.body()).contains("expired or was already used");
        assertThat(new WebClient(TestNode.get().baseUrl()).signInToConsole(email, NEW_PASSWORD).status()).isEqualTo(302);
        signedIn.close();
        other.close();
    }

    @Test
    void unknownExpiredForgedShortAndThrottledResetsChangeNothing() {
        var tenant = TestNode.get().newTenant("console password refusals");
        String email = staff(tenant.id(), "support");
        String before = hash(email);
        WebClient web = new WebClient(TestNode.get().baseUrl());

        // an unknown email gets the same answer and no email
        String unknown = "nobody-" + tag + "@staff.example";
        WebClient.Page answer = ask(web, unknown);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("If that email belongs to an active staff account");
        TestNode.get().accrue().mail().dispatch(100);
        assertThat(Mails.to(unknown)).isEmpty();
        // a forged login-CSRF token: refused before anything is sent
        assertThat(new WebClient(TestNode.get().baseUrl()).post("/console/password/forgot", Map.of("csrf", "forged", "email", email)).status())
                .isEqualTo(403);
        TestNode.get().accrue().mail().dispatch(100);
        assertThat(Mails.to(email)).isEmpty();

        assertThat(ask(web, email).status()).isEqualTo(200);
        String link = resetLink(email, 1);
        // a short password or two different ones: refused, and the link still works afterwards
        WebClient.Page shortOne = reset(web, link, "short");
        assertThat(shortOne.status()).isEqualTo(400);
        assertThat(shortOne.body()).contains("12 to 200 characters");
        WebClient.Page mismatch = web.post(link, Map.of("csrf", web.get(link).csrf(), "password", NEW_PASSWORD, "confirm", NEW_PASSWORD + "x"));
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(web.post(link, Map.of("csrf", "forged", "password", NEW_PASSWORD, "confirm", NEW_PASSWORD)).status()).isEqualTo(403);
        assertThat(reset(web, "/console/password/reset/" + "x".repeat(43), NEW_PASSWORD).status()).isEqualTo(401);
        assertThat(hash(email)).isEqualTo(before);

        // an hour passes: the link expired
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.execute(
                "UPDATE staff_password_resets SET expires_at = now() - interval '1 second' WHERE tenant_id = ?", tenant.id()));
        assertThat(reset(web, link, NEW_PASSWORD).status()).isEqualTo(401);
        assertThat(hash(email)).isEqualTo(before);

        // at most three links an hour per user (the one above counts)
        for (int i = 0; i < 3; i++) {
            assertThat(ask(web, email).status()).isEqualTo(200);
        }
        TestNode.get().accrue().mail().dispatch(100);
        assertThat(Mails.to(email)).hasSize(3);

        // a link issued before the user was deactivated no longer works, and a deactivated user gets no link
        String newest = resetLink(email, 3);
        String admin = staff(tenant.id(), "admin");
        var services = TestNode.get().accrue().services();
        String adminId = services.staff().list(Caller.operator(tenant.id())).stream().filter(u -> u.email().equals(admin)).findFirst().orElseThrow().id();
        String userId = services.staff().list(Caller.operator(tenant.id())).stream().filter(u -> u.email().equals(email)).findFirst().orElseThrow().id();
        services.staff().deactivate(Caller.operator(tenant.id()), adminId, userId);
        assertThat(reset(web, newest, NEW_PASSWORD).status()).isEqualTo(401);
        assertThat(hash(email)).isEqualTo(before);
    }

    @Test
    void anAdminReactivatesADeactivatedStaffUserWhoCanSignInAgain() {
        var tenant = TestNode.get().newTenant("console reactivation");
        String admin = staff(tenant.id(), "admin");
        String support = staff(tenant.id(), "support");
        var services = TestNode.get().accrue().services();
        String supportId = services.staff().list(Caller.operator(tenant.id())).stream().filter(u -> u.email().equals(support)).findFirst().orElseThrow().id();

        BrowserContext context = chromium.context("en-US");
        Page page = context.newPage();
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        page.fill("#email", admin);
        page.fill("#password", PASSWORD);
        page.click("button:has-text('Sign in')");
        page.navigate(TestNode.get().baseUrl() + "/console/staff");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deactivate " + support)).click();
        assertThat(new WebClient(TestNode.get().baseUrl()).signInToConsole(support, PASSWORD).status()).isEqualTo(401);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reactivate " + support)).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The staff member was reactivated");
        assertThat(page.getByTestId("staff-" + support)).containsText("Active");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-staff-reactivated");
        context.close();
        assertThat(new WebClient(TestNode.get().baseUrl()).signInToConsole(support, PASSWORD).status()).isEqualTo(302);
        assertThat(audited(support, "staff_user.reactivated")).isEqualTo(1);

        // non-admins and another tenant's admin cannot reactivate
        String finance = staff(tenant.id(), "finance");
        services.staff().deactivate(Caller.operator(tenant.id()),
                services.staff().list(Caller.operator(tenant.id())).stream().filter(u -> u.email().equals(admin)).findFirst().orElseThrow().id(), supportId);
        WebClient financeWeb = new WebClient(TestNode.get().baseUrl());
        financeWeb.signInToConsole(finance, PASSWORD);
        String path = "/console/staff/" + supportId + "/reactivate";
        assertThat(financeWeb.post(path, Map.of("csrf", financeWeb.get("/console/customers").csrf())).status()).isEqualTo(403);
        var otherTenant = TestNode.get().newTenant("console reactivation other");
        WebClient stranger = new WebClient(TestNode.get().baseUrl());
        stranger.signInToConsole(staff(otherTenant.id(), "admin"), PASSWORD);
        assertThat(stranger.post(path, Map.of("csrf", stranger.get("/console/customers").csrf())).status()).isEqualTo(404);
        WebClient adminWeb = new WebClient(TestNode.get().baseUrl());
        adminWeb.signInToConsole(admin, PASSWORD);
        assertThat(adminWeb.post(path, Map.of("csrf", "forged")).status()).isEqualTo(403);
        assertThat(new WebClient(TestNode.get().baseUrl()).signInToConsole(support, PASSWORD).status()).isEqualTo(401);
    }
}

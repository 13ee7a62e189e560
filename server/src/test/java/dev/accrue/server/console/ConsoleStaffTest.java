package dev.accrue.server.console;

import dev.accrue.server.support.Unique;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.console.StaffUser;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Staff management in the console: an admin adds a staff user, changes the role and deactivates them in Chromium
 * (audited, the user's sessions end, a deactivated user cannot sign in); the last active admin can be neither
 * demoted nor deactivated, also when two admins race; non-admins are refused by the server on every route and by
 * the use case; another tenant's staff user is not found. And the sign-in form's login CSRF.
 */
class ConsoleStaffTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static Chromium chromium;
    private static String tag;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        tag = Unique.suffix(); // base 36: a long digit run could pass for a card number
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    private static StaffUser staff(String tenantId, String role, String name) {
        return TestNode.get().accrue().services().staff().create(Caller.operator(tenantId), name + "-" + tag + "@staff.example", name, role, PASSWORD);
    }

    private static WebClient signedIn(StaffUser user) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.signInToConsole(user.email(), PASSWORD).status()).isEqualTo(302);
        return web;
    }

    private static StaffUser reload(StaffUser user) {
        return TestNode.get().accrue().services().staff().get(user.tenantId(), user.id());
    }

    private static List<String> audit(String tenantId, String objectId) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT action FROM audit_events WHERE tenant_id = :t AND object_id = :o ORDER BY occurred_at, id")
                .bind("t", tenantId).bind("o", objectId).mapTo(String.class).list());
    }

    @Test
    void anAdminAddsAStaffMemberChangesTheRoleAndDeactivatesThem() {
        var tenant = TestNode.get().newTenant("staff journey");
        StaffUser admin = staff(tenant.id(), "admin", "boss");
        BrowserContext context = chromium.context("en-US");
        Page page = context.newPage();
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        page.fill("#email", admin.email());
        page.fill("#password", PASSWORD);
        page.click("button:has-text('Sign in')");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Staff")).click();
        String email = "helper-" + tag + "@staff.example";
        page.getByLabel("Email").fill(email);
        page.getByLabel("Name").fill("Helper <b>Bee</b>");
        page.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("support");
        page.getByLabel("Initial password (at least 12 characters)").fill("another long passphrase");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add staff member")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("The staff member was added.");
        assertThat(page.getByTestId("staff-" + email)).containsText("Helper <b>Bee</b>");
        assertThat(page.getByTestId("staff-" + email)).containsText("Support");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-staff");
        StaffUser helper = TestNode.get().accrue().services().staff().list(Caller.operator(tenant.id())).stream()
                .filter(u -> u.email().equals(email)).findFirst().orElseThrow();
        String stored = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM staff_users WHERE id = :id")
                .bind("id", helper.id()).mapTo(String.class).one());
        assertThat(stored).startsWith("$argon2id$");
        WebClient helperBrowser = new WebClient(TestNode.get().baseUrl());
        assertThat(helperBrowser.signInToConsole(email, "another long passphrase").status()).isEqualTo(302);
        assertThat(helperBrowser.get("/console/customers").status()).isEqualTo(200);

        page.getByTestId("staff-" + email).locator("select[name=role]").selectOption("finance");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Change role " + email)).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("The role was changed");
        assertThat(page.getByTestId("staff-" + email)).containsText("Finance");
        assertThat(reload(helper).role().wire()).isEqualTo("finance");
        // the session carried the old role: it ended with the change
        assertThat(helperBrowser.get("/console/customers").status()).isEqualTo(302);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deactivate " + email)).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("deactivated");
        assertThat(page.getByTestId("staff-" + email)).containsText("Deactivated");
        assertThat(reload(helper).active()).isFalse();
        assertThat(new WebClient(TestNode.get().baseUrl()).signInToConsole(email, "another long passphrase").status()).isEqualTo(401);
        assertThat(audit(tenant.id(), helper.id())).containsExactly("staff_user.created", "staff_user.role_changed", "staff_user.deactivated");
        context.close();
    }

    @Test
    void theLastActiveAdminCanBeNeitherDemotedNorDeactivated() {
        var tenant = TestNode.get().newTenant("staff last admin");
        StaffUser admin = staff(tenant.id(), "admin", "only-admin");
        StaffUser reader = staff(tenant.id(), "read_only", "reader");
        WebClient web = signedIn(admin);
        String csrf = web.get("/console/staff").csrf();
        WebClient.Page demoted = web.post("/console/staff/" + admin.id() + "/role", Map.of("csrf", csrf, "role", "finance"));
        assertThat(demoted.location()).endsWith("refused=last_admin");
        assertThat(web.get(demoted.location()).body()).contains("This is the last active admin");
        assertThat(web.post("/console/staff/" + admin.id() + "/deactivate", Map.of("csrf", csrf)).location()).endsWith("refused=last_admin");
        assertThat(reload(admin).role().wire()).isEqualTo("admin");
        assertThat(reload(admin).active()).isTrue();
        assertThat(audit(tenant.id(), admin.id())).containsExactly("staff_user.created");
        // a deactivated admin does not count: promoting the reader, then deactivating them, leaves one admin again
        assertThat(web.post("/console/staff/" + reader.id() + "/role", Map.of("csrf", csrf, "role", "admin")).location()).endsWith("notice=staff_role_changed");
        assertThat(web.post("/console/staff/" + reader.id() + "/deactivate", Map.of("csrf", csrf)).location()).endsWith("notice=staff_deactivated");
        assertThat(web.post("/console/staff/" + admin.id() + "/deactivate", Map.of("csrf", csrf)).location()).endsWith("refused=last_admin");
    }

    @Test
    void twoAdminsDeactivatingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        var tenant = TestNode.get().newTenant("staff race");
        StaffUser a = staff(tenant.id(), "admin", "race-a");
        StaffUser b = staff(tenant.id(), "admin", "race-b");
        var service = TestNode.get().accrue().services().staff();
        Caller caller = Caller.operator(tenant.id());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (StaffUser[] pair : new StaffUser[][]{{a, b}, {b, a}}) {
            outcomes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    service.deactivate(caller, pair[0].id(), pair[1].id());
                    return "done";
                } catch (AccrueException e) {
                    return e.code().wire();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<String> results = new ArrayList<>();
        for (var f : outcomes) {
            results.add(f.get());
        }
        // the second one either found itself deactivated (forbidden) or was the last admin: never both deactivated
        assertThat(results).contains("done").hasSize(2);
        assertThat(List.of(reload(a).active(), reload(b).active())).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void nonAdminsAreRefusedOnEveryStaffRouteAndByTheUseCase() {
        var tenant = TestNode.get().newTenant("staff roles");
        StaffUser admin = staff(tenant.id(), "admin", "roles-admin");
        for (String role : List.of("finance", "support", "read_only")) {
            StaffUser user = staff(tenant.id(), role, "roles-" + role);
            WebClient web = signedIn(user);
            assertThat(web.get("/console/staff").status()).as(role).isEqualTo(403);
            assertThat(web.get("/console/customers").body()).as(role).doesNotContain("/console/staff");
            String csrf = web.get("/console/customers").csrf();
            assertThat(web.post("/console/staff", Map.of("csrf", csrf, "email", "new-" + role + tag + "@staff.example", "name", "New", "role", "admin",
                    "password", PASSWORD)).status()).as(role).isEqualTo(403);
            assertThat(web.post("/console/staff/" + admin.id() + "/role", Map.of("csrf", csrf, "role", "read_only")).status()).as(role).isEqualTo(403);
            assertThat(web.post("/console/staff/" + admin.id() + "/deactivate", Map.of("csrf", csrf)).status()).as(role).isEqualTo(403);
            assertThatThrownBy(() -> TestNode.get().accrue().services().staff().changeRole(Caller.operator(tenant.id()), user.id(), admin.id(), "read_only"))
                    .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        }
        assertThat(reload(admin).role().wire()).isEqualTo("admin");
        assertThat(reload(admin).active()).isTrue();
        assertThat(TestNode.get().accrue().services().staff().list(Caller.operator(tenant.id()))).hasSize(4);
        // an admin's forged CSRF token, and another tenant's staff id
        WebClient adminWeb = signedIn(admin);
        assertThat(adminWeb.post("/console/staff", Map.of("csrf", "forged", "email", "x" + tag + "@staff.example", "name", "X", "role", "admin",
                "password", PASSWORD)).status()).isEqualTo(403);
        var other = TestNode.get().newTenant("staff other");
        StaffUser outsider = staff(other.id(), "support", "outsider");
        String csrf = adminWeb.get("/console/staff").csrf();
        assertThat(adminWeb.post("/console/staff/" + outsider.id() + "/deactivate", Map.of("csrf", csrf)).status()).isEqualTo(404);
        assertThat(adminWeb.post("/console/staff/" + outsider.id() + "/role", Map.of("csrf", csrf, "role", "admin")).status()).isEqualTo(404);
        assertThat(reload(outsider).active()).isTrue();
        // over-long and script input: refused or shown inert
        assertThat(adminWeb.post("/console/staff", Map.of("csrf", csrf, "email", "a".repeat(300) + "@x.example", "name", "X", "role", "admin",
                "password", PASSWORD)).status()).isEqualTo(400);
        assertThat(adminWeb.post("/console/staff", Map.of("csrf", csrf, "email", "short" + tag + "@staff.example", "name", "X", "role", "admin",
                "password", "short")).location()).endsWith("refused=validation_failed");
        assertThat(TestNode.get().accrue().services().staff().list(Caller.operator(tenant.id()))).hasSize(4);
    }

    @Test
    void theSignInFormRefusesAForgedOrMissingLoginCsrfToken() {
        var tenant = TestNode.get().newTenant("staff login csrf");
        StaffUser admin = staff(tenant.id(), "admin", "csrf-admin");
        WebClient web = new WebClient(TestNode.get().baseUrl());
        // no sign-in page fetched: no cookie, no field (a cross-site form post)
        WebClient.Page missing = web.post("/console/login", Map.of("email", admin.email(), "password", PASSWORD));
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("out of date or was not sent by this site");
        String csrf = web.get("/console/login").csrf();
        assertThat(web.post("/console/login", Map.of("csrf", "forged-" + csrf, "email", admin.email(), "password", PASSWORD)).status()).isEqualTo(403);
        assertThat(web.post("/console/login", Map.of("email", admin.email(), "password", PASSWORD)).status()).isEqualTo(403);
        // the token of another browser is worth nothing without that browser's cookie
        WebClient attacker = new WebClient(TestNode.get().baseUrl());
        String attackersToken = attacker.get("/console/login").csrf();
        assertThat(new WebClient(TestNode.get().baseUrl()).post("/console/login", Map.of("csrf", attackersToken, "email", admin.email(),
                "password", PASSWORD)).status()).isEqualTo(403);
        assertThat(web.get("/console/customers").status()).isEqualTo(302);
        // refused forms counted no failure (the email is not locked) and the real form signs in
        for (int i = 0; i < 6; i++) {
            assertThat(web.post("/console/login", Map.of("csrf", "forged", "email", admin.email(), "password", "wrong password")).status()).isEqualTo(403);
        }
        assertThat(web.post("/console/login", Map.of("csrf", csrf, "email", admin.email(), "password", PASSWORD)).status()).isEqualTo(302);
        assertThat(web.get("/console/customers").status()).isEqualTo(200);
    }
}

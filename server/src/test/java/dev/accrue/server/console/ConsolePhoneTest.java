package dev.accrue.server.console;

import dev.accrue.server.support.Unique;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.accrue.app.auth.Caller;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console on a phone: every page a staff admin opens fits 390 CSS pixels without sideways scrolling, axe-checked. */
class ConsolePhoneTest {
    private static final String PASSWORD = "correct horse battery staple";

    @Test
    void everyConsolePageFitsAPhoneWithoutSidewaysScrolling() {
        Sandbox s = new Sandbox("console phone", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String customer = s.customer("Phone Logistics", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        String email = "admin-phone-" + Unique.suffix() + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(s.tenant.id()), email, "Phone admin", "admin", PASSWORD);
        try (Chromium chromium = Chromium.launch()) {
            BrowserContext context = chromium.phone("en-US");
            Page page = context.newPage();
            page.navigate(TestNode.get().baseUrl() + "/console/login");
            page.fill("#email", email);
            page.fill("#password", PASSWORD);
            page.click("button:has-text('Sign in')");
            for (String path : List.of("/console/customers", "/console/customers/" + customer, "/console/billing_runs", "/console/catalog",
                    "/console/staff")) {
                page.navigate(TestNode.get().baseUrl() + path);
                // wide tables scroll inside their own box; the page itself never scrolls sideways
                assertThat(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")).as(path).isEqualTo(true);
                Chromium.assertAccessible(page);
            }
            page.navigate(TestNode.get().baseUrl() + "/console/customers/" + customer);
            Chromium.screenshot(page, "console-customer-phone");
            context.close();
        }
    }
}

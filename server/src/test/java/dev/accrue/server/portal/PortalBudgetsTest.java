package dev.accrue.server.portal;

import com.microsoft.playwright.Page;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage page shows the customer's budgets against the current period's actuals — the API's figures, overall and
 * per dimension value, with a meter — to members as well as admins, in the customer's locale.
 */
class PortalBudgetsTest {
    static final String CATALOG = """
            name: budgets
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, name: Call seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [team] }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: small
                product: voice
                name: Small
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" }, proration: never, timing: in_advance }
                  - type: metered
                    code: minutes
                    name: Minutes
                    metric: call_seconds
                    allowances: [{ quantity: 1000, reset: billing_period }]
                    pricing: { model: per_unit, unit_price: { USD: "0.05" } }
                    overage: { policy: charge }
            """;
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    @Test
    void aMemberSeesEachBudgetAgainstTheActualsOfThePeriod() {
        Sandbox s = new Sandbox("portal budgets", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Budget Calls Ltd", "USD", "UTC");
        s.subscribe(Map.of("customer_id", c, "plan", "small"));
        String path = "/v1/customers/" + c + "/budgets";
        assertThat(s.api.post(path, Map.of("amount", "100.00", "currency", "USD")).status()).isEqualTo(201);
        assertThat(s.api.post(path, Map.of("amount", "50.00", "currency", "USD", "dimension", "team", "dimension_value", "support")).status())
                .isEqualTo(201);
        assertThat(s.api.post(path, Map.of("amount", "5.00", "currency", "USD", "dimension", "team", "dimension_value", "sales")).status())
                .isEqualTo(201);
        // 1,500 s for support, 400 for sales, 100 without a team: 1,000 s past the allowance at 0.05 = 50.00, plus the 10.00 base fee
        var batch = s.api.post("/v1/events/batch", Map.of("events", List.of(call("pb1", c, "2026-06-01T07:00:00Z", 1500, "support"),
                call("pb2", c, "2026-06-01T07:01:00Z", 400, "sales"), call("pb3", c, "2026-06-01T07:02:00Z", 100, null))));
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(3);
        List<String> api = new ArrayList<>();
        s.api.get(path).json().get("data").forEach(b -> api.add(b.get("dimension_value").asText() + " " + b.get("actual").asText() + " "
                + b.get("percent_used").asText()));
        assertThat(api).containsExactlyInAnyOrder("null 60.00 60.00", "support 37.50 75.00", "sales 10.00 200.00");

        Page page = chromium.context("en-US").newPage();
        page.navigate(PortalLinks.link(s.api, c, "member@example.com", "member", "en-US"));
        page.navigate(TestNode.get().baseUrl() + "/portal/usage");
        var budgets = page.getByTestId("budgets");
        assertThat(budgets).containsText("Overall: $60.00 of $100.00 spent · $40.00 left · 60 %");
        assertThat(budgets).containsText("team: support: $37.50 of $50.00 spent · $12.50 left · 75 %");
        assertThat(budgets).containsText("team: sales: $10.00 of $5.00 spent");
        assertThat(budgets).containsText("200 %");
        assertThat(budgets).containsText("Jun 1, 2026 – Jun 30, 2026");
        assertThat(page.locator("[data-testid=budget] .meter.over")).hasCount(1);
        assertThat(page.locator("[data-testid=budget] [role=meter][aria-valuenow='75']")).hasCount(1);
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-usage-budgets-member");
        page.context().close();

        Page german = chromium.context("de-DE").newPage();
        german.navigate(PortalLinks.link(s.api, c, "owner@example.com", "admin", "de-DE"));
        german.navigate(TestNode.get().baseUrl() + "/portal/usage");
        assertThat(german.getByTestId("budgets")).containsText("Gesamt: 60,00 $ von 100,00 $ ausgegeben");
        german.context().close();
    }

    static Map<String, Object> call(String id, String customer, String timestamp, int seconds, String team) {
        Map<String, Object> properties = team == null ? Map.of("duration_seconds", seconds) : Map.of("duration_seconds", seconds, "team", team);
        return Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", timestamp, "properties", properties);
    }
}

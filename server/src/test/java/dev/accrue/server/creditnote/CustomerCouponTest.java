package dev.accrue.server.creditnote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 point 3: a coupon redeemed by a customer discounts all their invoices within its duration (counted across
 * subscriptions) and its plan limits; coupons are listed and archived; refusals change nothing.
 */
class CustomerCouponTest {
    private static final String CATALOG = """
            name: customer-coupons
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
              - { code: voice, name: Voice }
            plans:
              - code: basic
                product: crm
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00" }, timing: in_advance }
              - code: pro
                product: voice
                name: Pro
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "50.00" }, timing: in_advance }
            """;

    private static List<String> totals(Sandbox s, String sub) {
        List<String> out = new ArrayList<>();
        s.invoices(sub).forEach(i -> out.add(i.substring(0, i.indexOf(" ["))));
        return out;
    }

    @Test
    void aCustomerCouponDiscountsEverySubscriptionWithinItsDurationAndPlans() {
        Sandbox s = new Sandbox("customer-coupons", CATALOG, "2026-06-01T08:00:00Z");
        assertThat(s.api.post("/v1/coupons", Map.of("code", "TEN", "percent_off", "10", "duration", "repeating", "duration_periods", 2)).status())
                .isEqualTo(201);
        assertThat(s.api.post("/v1/coupons", Map.of("code", "PRO5", "amount_off", "5.00", "currency", "USD", "duration", "forever",
                "plans", List.of("pro"))).status()).isEqualTo(201);
        String c = s.customer("Many Subs Co", "USD", "UTC");

        JsonNode redeemed = s.api.post("/v1/customers/" + c + "/coupons", Map.of("coupon", "TEN")).json();
        assertThat(redeemed.get("customer_id").asText()).isEqualTo(c);
        assertThat(redeemed.get("subscription_id").isNull()).isTrue();
        assertThat(s.api.post("/v1/customers/" + c + "/coupons", Map.of("coupon", "PRO5")).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/customers/" + c + "/coupons", Map.of("coupon", "TEN")).code()).isEqualTo("already_exists");
        assertThat(s.api.post("/v1/customers/cus_nope/coupons", Map.of("coupon", "TEN")).status()).isEqualTo(404);
        assertThat(s.api.get("/v1/coupons/TEN").json().get("redemptions").asInt()).isEqualTo(1);

        String basic = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String pro = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        s.advanceTo("2026-08-01T09:00:00Z");
        // TEN's two invoices are the two June ones, one per subscription; PRO5 only ever discounts the pro plan, for ever
        assertThat(totals(s, basic)).containsExactly("2026-06-01 27.00", "2026-07-01 30.00", "2026-08-01 30.00");
        assertThat(totals(s, pro)).containsExactly("2026-06-01 40.00", "2026-07-01 45.00", "2026-08-01 45.00");
    }

    @Test
    void anArchivedCouponIsListedOnRequestAndCanNoLongerBeRedeemed() {
        Sandbox s = new Sandbox("coupon-archive", CATALOG, "2026-06-01T08:00:00Z");
        for (String code : List.of("A1", "A2", "A3")) {
            assertThat(s.api.post("/v1/coupons", Map.of("code", code, "percent_off", "5")).status()).isEqualTo(201);
        }
        String c = s.customer("Archive Co", "USD", "UTC");
        assertThat(s.api.post("/v1/customers/" + c + "/coupons", Map.of("coupon", "A2")).status()).isEqualTo(201);
        JsonNode archived = s.api.post("/v1/coupons/A2/archive", Map.of()).json();
        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(s.api.post("/v1/coupons/A2/archive", Map.of()).status()).isEqualTo(200);

        String other = s.customer("Late Co", "USD", "UTC");
        assertThat(s.api.post("/v1/customers/" + other + "/coupons", Map.of("coupon", "A2")).code()).isEqualTo("coupon_archived");
        assertThat(s.api.get("/v1/coupons/A2").json().get("redemptions").asInt()).isEqualTo(1);

        JsonNode page = s.api.get("/v1/coupons?limit=1").json();
        assertThat(page.at("/data/0/code").asText()).isEqualTo("A3");
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode rest = s.api.get("/v1/coupons?limit=10&cursor=" + page.get("next_cursor").asText()).json();
        assertThat(rest.get("data")).extracting(n -> n.get("code").asText()).containsExactly("A1");
        assertThat(s.api.get("/v1/coupons?include_archived=true").json().get("data")).extracting(n -> n.get("code").asText())
                .containsExactly("A3", "A2", "A1");
        assertThat(s.api.get("/v1/coupons?include_archived=yes").code()).isEqualTo("validation_failed");

        // the running redemption goes on: the customer's first invoice is still discounted
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        assertThat(totals(s, sub)).containsExactly("2026-06-01 28.50");
    }
}

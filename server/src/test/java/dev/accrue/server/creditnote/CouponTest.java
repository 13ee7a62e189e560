package dev.accrue.server.creditnote;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12 point 3, coupons on the real server over a test clock: discount lines before credit, durations, refusals. */
class CouponTest {

    private static List<String> totals(Sandbox s, String sub) {
        List<String> out = new ArrayList<>();
        s.invoices(sub).forEach(i -> out.add(i.substring(0, i.indexOf(" ["))));
        return out;
    }

    @Test
    void aHundredPercentCouponGivesAZeroInvoiceAndARepeatingOneEndsAfterItsPeriods() {
        Sandbox s = new Sandbox("coupons", CreditNoteTest.CATALOG.replace("BASE", "30.00").replace("TIMING", "in_advance"), "2026-06-01T08:00:00Z");
        assertThat(s.api.post("/v1/coupons", Map.of("code", "FREE", "name", "First month free", "percent_off", "100", "duration", "once"))
                .status()).isEqualTo(201);
        var twenty = s.api.withHeader("Idempotency-Key", "c20").post("/v1/coupons", Map.of("code", "TWENTY", "percent_off", "20",
                "duration", "repeating", "duration_periods", 2, "charges", List.of("base"), "max_redemptions", 1));
        assertThat(twenty.status()).isEqualTo(201);
        assertThat(s.api.post("/v1/coupons", Map.of("code", "EURO", "amount_off", "5.00", "currency", "EUR")).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/coupons", Map.of("code", "OLD", "percent_off", "10", "expires_on", "2026-05-31")).status()).isEqualTo(201);
        assertThat(s.api.post("/v1/coupons", Map.of("code", "FREE", "percent_off", "5")).code()).isEqualTo("already_exists");
        assertThat(s.api.post("/v1/coupons", Map.of("code", "BAD", "percent_off", "101")).code()).isEqualTo("invalid_amount");

        String c = s.customer("Couponed Co", "USD", "UTC");
        // redeemed before the first invoice: the subscription is created first, then invoiced; use a future start
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic", "start_date", "2026-06-02")).get("id").asText();
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/coupons", Map.of("coupon", "FREE")).status()).isEqualTo(201);
        var redeemed = s.api.post("/v1/subscriptions/" + sub + "/coupons", Map.of("coupon", "TWENTY"));
        assertThat(redeemed.status()).isEqualTo(201);
        assertThat(redeemed.json().at("/coupon/redemptions").asInt()).isEqualTo(1);
        // refusals change nothing
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/coupons", Map.of("coupon", "EURO")).code()).isEqualTo("currency_mismatch");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/coupons", Map.of("coupon", "OLD")).code()).isEqualTo("coupon_expired");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/coupons", Map.of("coupon", "FREE")).code()).isEqualTo("already_exists");
        String other = s.customer("Second Co", "USD", "UTC");
        String otherSub = s.subscribe(Map.of("customer_id", other, "plan", "basic")).get("id").asText();
        assertThat(s.api.post("/v1/subscriptions/" + otherSub + "/coupons", Map.of("coupon", "TWENTY")).code()).isEqualTo("coupon_limit_reached");
        assertThat(s.api.get("/v1/coupons/TWENTY").json().get("redemptions").asInt()).isEqualTo(1);
        assertThat(s.api.get("/v1/coupons/EURO").json().get("redemptions").asInt()).isZero();

        s.advanceTo("2026-09-01T09:00:00Z");
        // June (first stub, 29/30 of 30.00 = 29.00): 100 % leaves 0.00 and the 20 % finds nothing left; July and August 20 % off; then full price
        assertThat(totals(s, sub)).containsExactly("2026-06-02 0.00", "2026-07-01 24.00", "2026-08-01 24.00", "2026-09-01 30.00");
        var june = s.api.get("/v1/invoices?subscription_id=" + sub + "&issued_before=2026-06-03").json().at("/data/0");
        var discount = june.get("lines").get(june.get("lines").size() - 1);
        assertThat(discount.get("kind").asText()).isEqualTo("discount");
        assertThat(discount.get("description").asText()).startsWith("Coupon FREE (First month free): 100% off");
        assertThat(discount.get("amount").asText()).isEqualTo("-29.00");
    }
}

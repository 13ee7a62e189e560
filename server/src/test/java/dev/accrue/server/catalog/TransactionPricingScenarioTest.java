package dev.accrue.server.catalog;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 2 on the real server over a test clock: percentage pricing (a share of the amount each payment event
 * carries, a fixed fee per transaction, a free amount and free transactions), graduated percentage, and dynamic pricing
 * (events carrying their own price) — whole invoices to the cent, and a corrected payment adjusted on the next one.
 */
class TransactionPricingScenarioTest {
    static final String CATALOG = """
            name: payments
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: payment_volume, aggregation: sum, field: amount, unit: USD }
              - { code: resold_calls, aggregation: sum, field: price, unit: USD }
            products:
              - { code: payments, name: Payments }
            plans:
              - code: processing
                product: payments
                name: Processing
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Platform fee, monthly_price: { USD: "10.00" } }
                  - type: metered
                    code: card_fees
                    name: Card fees
                    metric: payment_volume
                    pricing: { model: percentage, rate: "2.9", fixed_fee: { USD: "0.30" }, free_amount: "100.00", free_transactions: 2 }
                  - type: metered
                    code: payouts
                    name: Payout fees
                    metric: payment_volume
                    pricing:
                      model: graduated_percentage
                      tiers:
                        - { up_to: 1000, rate: "1" }
                        - { rate: "0.5", flat_price: { USD: "5.00" } }
                  - { type: metered, code: resale, name: Resold calls, metric: resold_calls, pricing: { model: dynamic } }
            """;

    @Test
    void paymentsArePricedAsAShareOfTheirAmountsAndResoldCallsAtTheirOwnPrices() {
        Sandbox s = new Sandbox("transactions", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Merchant Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "processing")).get("id").asText();
        s.advanceTo("2026-06-10T08:00:00Z");
        event(s, c, "p1", "payment_volume", Map.of("amount", 50));
        event(s, c, "p2", "payment_volume", Map.of("amount", 400));
        event(s, c, "p3", "payment_volume", Map.of("amount", 1000));
        event(s, c, "r1", "resold_calls", Map.of("price", 0.1234));
        event(s, c, "r2", "resold_calls", Map.of("price", 2.5));
        event(s, c, "r3", "resold_calls", Map.of("price", 0.0049));
        s.advanceTo("2026-07-05T08:00:00Z");
        assertThat(s.api.patch("/v1/events/p2", Map.of("properties", Map.of("amount", 300))).status()).isEqualTo(200);
        s.advanceTo("2026-08-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 10.00 [recurring base 2026-06-01..2026-07-01 10.00]",
                // 1,450.00 in 3 payments: 2.9% of 1,350.00 = 39.15 + 0.30 for the 3rd; 1% of 1,000.00 + 0.5% of 450.00 + 5.00 = 17.25;
                // resold calls at their own prices, 2.6283 rounded once
                "2026-07-01 69.33 [usage card_fees 2026-06-01..2026-07-01 39.45, usage payouts 2026-06-01..2026-07-01 17.25, "
                        + "usage resale 2026-06-01..2026-07-01 2.63, recurring base 2026-07-01..2026-08-01 10.00]",
                // the 400.00 payment corrected to 300.00: 2.9% and 0.5% of 100.00 less
                "2026-08-01 6.60 [adjustment card_fees 2026-06-01..2026-07-01 -2.90, adjustment payouts 2026-06-01..2026-07-01 -0.50, "
                        + "usage card_fees 2026-07-01..2026-08-01 0.00, usage payouts 2026-07-01..2026-08-01 0.00, usage resale 2026-07-01..2026-08-01 0.00, "
                        + "recurring base 2026-08-01..2026-09-01 10.00]");
        var july = s.api.get("/v1/invoices?subscription_id=" + sub + "&issued_from=2026-07-01&issued_before=2026-07-02").json().at("/data/0/lines/0");
        assertThat(july.get("description").asText())
                .isEqualTo("Card fees: 3 transactions, 1450 USD processed (2.9% + 0.3 per transaction, first 100 free, first 2 transactions free)");
        assertThat(july.get("quantity").asText()).isEqualTo("3");
    }

    private static void event(Sandbox s, String customer, String id, String metric, Map<String, Object> properties) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", metric,
                "timestamp", "2026-06-10T07:00:00Z", "properties", properties));
        assertThat(r.text("status")).as(r.toString()).isEqualTo("accepted");
    }
}

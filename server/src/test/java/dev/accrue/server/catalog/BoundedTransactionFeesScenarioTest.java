package dev.accrue.server.catalog;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 2 (rest) on the real server over a test clock: a percentage fee with a fixed part and a minimum and
 * maximum per transaction, priced event by event from the amounts kept at ingestion — whole invoices to the cent, with a
 * late transfer and a corrected one adjusting the closed month, each at its own bounded fee.
 */
class BoundedTransactionFeesScenarioTest {
    static final String CATALOG = """
            name: transfers
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: transfers, aggregation: sum, field: amount, unit: USD }
            products:
              - { code: banking, name: Banking }
            plans:
              - code: business
                product: banking
                name: Business
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Account fee, monthly_price: { USD: "10.00" } }
                  - type: metered
                    code: transfer_fees
                    name: Transfer fees
                    metric: transfers
                    pricing: { model: percentage, rate: "2", fixed_fee: { USD: "0.30" }, per_transaction_min: { USD: "0.50" },
                               per_transaction_max: { USD: "5.00" } }
            """;

    @Test
    void eachTransfersFeeIsBoundedOnItsOwnAndLateOrCorrectedTransfersAdjustAtTheirOwnFee() {
        Sandbox s = new Sandbox("bounded-fees", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Transfer Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "business")).get("id").asText();
        s.advanceTo("2026-06-10T08:00:00Z");
        transfer(s, c, "t1", "2026-06-10", 5);      // 0.10 + 0.30 = 0.40, raised to the minimum 0.50
        transfer(s, c, "t2", "2026-06-10", 100);    // 2.00 + 0.30 = 2.30
        transfer(s, c, "t3", "2026-06-10", 100);    // 2.30 (the same amount: one group of two)
        transfer(s, c, "t4", "2026-06-10", 1000);   // 20.00 + 0.30 = 20.30, cut to the maximum 5.00
        s.advanceTo("2026-07-05T08:00:00Z");
        transfer(s, c, "t5", "2026-06-20", 50);     // late for June: 1.00 + 0.30 = 1.30
        assertThat(s.api.patch("/v1/events/t4", Map.of("properties", Map.of("amount", 10))).status()).isEqualTo(200); // 5.00 → 0.50
        transfer(s, c, "t6", "2026-07-03", 20);     // 0.40 + 0.30 = 0.70
        s.advanceTo("2026-08-01T09:00:00Z");

        assertThat(s.invoices(sub)).containsExactly(
                "2026-06-01 10.00 [recurring base 2026-06-01..2026-07-01 10.00]",
                // 0.50 + 2 × 2.30 + 5.00; unbounded it would be 2% of 1,205.00 + 4 × 0.30 = 25.30
                "2026-07-01 20.10 [usage transfer_fees 2026-06-01..2026-07-01 10.10, recurring base 2026-07-01..2026-08-01 10.00]",
                // June re-priced: 0.50 + 2 × 2.30 + 0.50 + 1.30 = 6.90, less the 10.10 billed
                "2026-08-01 7.50 [adjustment transfer_fees 2026-06-01..2026-07-01 -3.20, usage transfer_fees 2026-07-01..2026-08-01 0.70, "
                        + "recurring base 2026-08-01..2026-09-01 10.00]");
        var july = s.api.get("/v1/invoices?subscription_id=" + sub + "&issued_from=2026-07-01&issued_before=2026-07-02").json().at("/data/0/lines/0");
        assertThat(july.get("description").asText()).isEqualTo(
                "Transfer fees: 4 transactions, 1205 USD processed (2% + 0.3 per transaction, at least 0.5 per transaction, at most 5 per transaction)");
        assertThat(july.get("quantity").asText()).isEqualTo("4");
    }

    private static void transfer(Sandbox s, String customer, String id, String day, int amount) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "transfers",
                "timestamp", day + "T07:00:00Z", "properties", Map.of("amount", amount)));
        assertThat(r.text("status")).as(r.toString()).isEqualTo("accepted");
    }
}

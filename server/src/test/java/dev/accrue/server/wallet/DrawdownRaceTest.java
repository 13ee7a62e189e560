package dev.accrue.server.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wallet ledger records only real movements while usage batches and top-ups race on one prepaid customer
 * (real server, real PostgreSQL, the drawdown running after each batch's commit). Usage never falls here — no
 * correction is sent — so a positive usage entry would be a phantom credit: a drawdown that priced the window
 * before another one drew a newer price, then "refunded" down to its stale one.
 */
class DrawdownRaceTest {

    @Test
    void parallelUsageBatchesAndTopUpsWriteNoPhantomCreditAndTheBalanceIsTheFoldAndTheCost() throws Exception {
        // no allowance, 0.01 a second: the usage cost is linear, so it is known exactly
        Sandbox s = new Sandbox("drawdown race", WalletTest.VOICE.replace("allowances: [{ quantity: 600 }]", "allowances: [{ quantity: 0 }]")
                .replace("monthly_price: { USD: \"10.00\" }", "monthly_price: { USD: \"0.00\" }"), "2026-06-01T08:00:00Z");
        String c = WalletTest.prepaidCustomer(s, "Racing Line");
        s.subscribe(Map.of("customer_id", c, "plan", "starter"));
        // enough that no debit is ever capped by the balance: every drawdown moves exactly the usage's cost
        s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "10000.00", "currency", "USD"));
        s.advanceTo("2026-06-10T08:00:00Z");

        int batches = 48;
        int perBatch = 10;
        int topUps = 24;
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(24)) {
            for (int i = 0; i < batches + topUps; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    if (n % 3 == 2 && n / 3 < topUps) {
                        return s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "1.00", "currency", "USD")).status();
                    }
                    List<Map<String, Object>> events = new ArrayList<>();
                    for (int k = 0; k < perBatch; k++) {
                        events.add(WalletTest.call("r" + n + "-" + k, c, "2026-06-10T07:00:00Z", 60));
                    }
                    return s.api.post("/v1/events/batch", Map.of("events", events)).status();
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isIn(200, 201);
            }
        }
        int usageBatches = batches;
        BigDecimal cost = new BigDecimal("0.60").multiply(BigDecimal.valueOf((long) usageBatches * perBatch)); // a minute per event

        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = s.api.get("/v1/customers/" + c + "/wallet/entries?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("data").forEach(entries::add);
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);

        BigDecimal fold = BigDecimal.ZERO;
        BigDecimal usage = BigDecimal.ZERO;
        BigDecimal credited = BigDecimal.ZERO;
        int usageEntries = 0;
        for (JsonNode e : entries) {
            BigDecimal amount = new BigDecimal(e.get("amount").asText());
            fold = fold.add(amount);
            if (e.get("kind").asText().equals("usage")) {
                usageEntries++;
                usage = usage.add(amount);
                if (amount.signum() > 0) {
                    credited = credited.add(amount);
                }
            }
        }
        assertThat(credited).as("usage credited back without any correction").isEqualByComparingTo("0");
        assertThat(usage.negate()).as("what the wallet drew is what the usage costs").isEqualByComparingTo(cost);
        assertThat(usageEntries).as("at most one debit per batch").isLessThanOrEqualTo(usageBatches);
        BigDecimal balance = new BigDecimal(WalletTest.balance(s, c));
        assertThat(balance).isEqualByComparingTo(fold);
        assertThat(balance).isEqualByComparingTo(new BigDecimal("10000.00").add(BigDecimal.valueOf(topUps)).subtract(cost));
    }
}

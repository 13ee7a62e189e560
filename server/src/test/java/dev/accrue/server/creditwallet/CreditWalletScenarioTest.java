package dev.accrue.server.creditwallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 14 on the real server over a test clock: credits beyond money. Granted credits expire at the exact
 * instant (half-open) and what is left is written off, never paid back; granted credits go before paid ones and wallets
 * by priority; credits in units convert to money to the cent; a restricted wallet pays only its charges; recurring grants
 * arrive on each 1st; a target top-up is charged once through the sandbox gateway.
 */
class CreditWalletScenarioTest {
    static final String CATALOG = """
            name: creditwallets
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
            plans:
              - code: pro
                product: crm
                name: Pro
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Platform, monthly_price: { USD: "30.00" } }
                  - { type: recurring, code: support, name: Support, monthly_price: { USD: "10.00" } }
            """;

    @Test
    void grantedCreditsExpireAtTheExactInstantAndGoBeforePaidOnesConvertedToTheCent() {
        Sandbox s = new Sandbox("credit-wallets", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Credits Co", "USD", "UTC");
        String wallets = "/v1/customers/" + c + "/credit_wallets";

        // refusals: nothing is written
        assertThat(s.api.post(wallets, Map.of("unit", "credits")).text("code")).isEqualTo("missing_field");
        assertThat(s.api.post(wallets, Map.of("name", "x", "rate", "0")).text("code")).isEqualTo("invalid_rate");
        assertThat(s.api.post(wallets, Map.of("name", "x", "rate", "0.0000001")).text("code")).isEqualTo("invalid_rate");
        assertThat(s.api.post(wallets, Map.of("name", "x", "top_up", Map.of("threshold", "10", "target", "10"))).text("code"))
                .isEqualTo("invalid_top_up_rule");
        assertThat(s.api.post(wallets, Map.of("name", "x", "recurring", Map.of("credits", "-5"))).text("code")).isEqualTo("invalid_credits");
        assertThat(s.api.post(wallets, Map.of("name", "x", "applies_to", List.of("Not A Code"))).text("field")).isEqualTo("applies_to");
        assertThat(s.api.get(wallets).json().get("data")).isEmpty();

        var promo = s.api.post(wallets, Map.of("name", "Promo", "unit", "credits", "rate", "0.05", "priority", 1));
        assertThat(promo.status()).isEqualTo(201);
        String promoId = promo.text("id");
        String grants = wallets + "/" + promoId + "/grants";
        assertThat(s.api.post(grants, Map.of("credits", "0")).text("code")).isEqualTo("invalid_credits");
        assertThat(s.api.post(grants, Map.of("credits", "1.0000001")).text("code")).isEqualTo("invalid_credits");
        assertThat(s.api.post(grants, Map.of("credits", "10", "kind", "free")).text("field")).isEqualTo("kind");
        var past = s.api.post(grants, Map.of("credits", "10", "expires_at", "2026-06-01T08:00:00Z"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.text("code")).isEqualTo("expiry_not_in_future");
        assertThat(s.api.get(wallets + "/" + promoId).json().get("entries")).isEmpty();

        // 200 granted credits (10.00) until June 15 12:00, 400 paid credits (20.00) that never expire
        assertThat(s.api.post(grants, Map.of("credits", "200", "expires_at", "2026-06-15T12:00:00Z", "description", "Welcome")).status()).isEqualTo(201);
        var after = s.api.post(grants, Map.of("credits", "400", "kind", "paid"));
        assertThat(after.json().at("/balance/granted_credits").asText()).isEqualTo("200");
        assertThat(after.json().at("/balance/paid_credits").asText()).isEqualTo("400");
        assertThat(after.json().at("/balance/value").asText()).isEqualTo("30.00");
        // a second wallet in money, consumed after the first
        String cash = s.api.post(wallets, Map.of("name", "Goodwill", "priority", 2)).text("id");
        assertThat(s.api.post(wallets + "/" + cash + "/grants", Map.of("credits", "5")).status()).isEqualTo(201);

        // one second before the expiry the granted credits pay first: 6.01 = 120.2 credits
        s.advanceTo("2026-06-15T11:59:59Z");
        assertThat(oneOff(s, c, "6.01")).isEqualTo("0.00 [one_off 6.01, credit -6.01]");
        JsonNode w = s.api.get(wallets + "/" + promoId).json();
        assertThat(w.at("/balance/granted_credits").asText()).isEqualTo("79.8");
        assertThat(w.at("/balance/paid_credits").asText()).isEqualTo("400");

        // at the very instant of expiry the 79.8 granted credits (3.99) are gone: written off, and the paid ones pay
        s.advanceTo("2026-06-15T12:00:00Z");
        assertThat(oneOff(s, c, "7.00")).isEqualTo("0.00 [one_off 7.00, credit -7.00]");
        w = s.api.get(wallets + "/" + promoId).json();
        JsonNode expired = w.get("entries").findParents("kind").stream().filter(e -> e.get("kind").asText().equals("expired")).findFirst().orElseThrow();
        assertThat(expired.get("credits").asText()).isEqualTo("-79.8");
        assertThat(expired.get("amount").asText()).isEqualTo("-3.99");
        assertThat(expired.get("effective_at").asText()).isEqualTo("2026-06-15T12:00:00Z");
        assertThat(w.at("/balance/granted_credits").asText()).isEqualTo("0");
        assertThat(w.at("/balance/paid_credits").asText()).isEqualTo("260");

        // 20.00: the paid credits (260 = 13.00), then the second wallet (5.00); 2.00 still owed
        assertThat(oneOff(s, c, "20.00")).isEqualTo("2.00 [one_off 20.00, credit -13.00, credit -5.00]");
        assertThat(s.api.get(wallets).json().at("/data/0/balance/credits").asText()).isEqualTo("0");
        assertThat(s.api.get(wallets).json().at("/data/1/balance/credits").asText()).isEqualTo("0");
        // the ledger adds up: 600 credits in, 120.2 + 140 + 260 consumed, 79.8 written off
        s.advanceTo("2026-06-20T12:00:00Z");
        assertThat(s.api.get(wallets + "/" + promoId).json().get("entries")).hasSize(6);
        // reconciliation: what the ledgers say was consumed is what the invoices' credit lines show, wallet by wallet
        for (String wallet : List.of(promoId, cash)) {
            BigDecimal consumed = BigDecimal.ZERO;
            for (JsonNode e : s.api.get(wallets + "/" + wallet).json().get("entries")) {
                if (e.get("kind").asText().equals("consumed")) {
                    consumed = consumed.add(new BigDecimal(e.get("amount").asText()));
                }
            }
            BigDecimal onInvoices = BigDecimal.ZERO;
            for (JsonNode i : s.api.get("/v1/invoices?limit=100&customer_id=" + c).json().get("data")) {
                for (JsonNode l : i.get("lines")) {
                    if (l.get("kind").asText().equals("credit") && wallet.equals(l.get("charge_code").asText())) {
                        onInvoices = onInvoices.add(new BigDecimal(l.get("amount").asText()));
                    }
                }
            }
            assertThat(consumed).as(wallet).isEqualByComparingTo(onInvoices);
        }
    }

    @Test
    void restrictedWalletRecurringGrantsAndATargetTopUpChargedOnce() {
        Sandbox s = new Sandbox("credit-topups", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Support Co", "USD", "UTC");
        String token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030,
                "cvc", "123"))).text("id");
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", token)).status()).isEqualTo(201);
        String wallets = "/v1/customers/" + c + "/credit_wallets";
        // support hours at 2.50 each, only for the support charge; 2 granted each month; topped up to 4 below 1
        Map<String, Object> body = new HashMap<>(Map.of("name", "Support hours", "unit", "hours", "rate", "2.50", "applies_to", List.of("support"),
                "recurring", Map.of("credits", "2"), "top_up", Map.of("threshold", "1", "target", "4")));
        var opened = s.api.post(wallets, body);
        assertThat(opened.status()).isEqualTo(201);
        String id = opened.text("id");
        assertThat(s.api.post(wallets + "/" + id + "/grants", Map.of("credits", "3")).status()).isEqualTo(201);

        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        // the wallet opened empty, below 1: a top-up to 4 hours (10.00) was asked at once, and is charged after the next advance.
        // June 1: the wallet pays only the support charge: 3 hours = 7.50 of its 10.00; the platform fee cannot use it
        s.advanceTo("2026-06-02T08:00:00Z");
        s.advanceTo("2026-06-03T08:00:00Z");
        JsonNode w = s.api.get(wallets + "/" + id).json();
        assertThat(w.get("top_ups")).hasSize(1);
        assertThat(w.at("/top_ups/0/status").asText()).isEqualTo("succeeded");
        assertThat(w.at("/top_ups/0/credits").asText()).isEqualTo("4");
        assertThat(w.at("/top_ups/0/amount").asText()).isEqualTo("10.00");
        assertThat(w.at("/balance/paid_credits").asText()).isEqualTo("4");
        assertThat(chargesWithKey(w.at("/top_ups/0/id").asText())).isEqualTo(1);

        // July 1: 2 granted hours (until August 1) go first, then 2 paid hours: the support charge is paid in full
        s.advanceTo("2026-07-01T08:00:00Z");
        w = s.api.get(wallets + "/" + id).json();
        assertThat(w.at("/balance/granted_credits").asText()).isEqualTo("0");
        assertThat(w.at("/balance/paid_credits").asText()).isEqualTo("2");
        assertThat(w.get("top_ups")).hasSize(1);
        // August 1: the 2 granted hours of August and the last 2 paid ones; empty again, a second top-up
        s.advanceTo("2026-08-01T08:00:00Z");
        s.advanceTo("2026-08-02T08:00:00Z");
        w = s.api.get(wallets + "/" + id).json();
        assertThat(w.get("top_ups")).hasSize(2);
        assertThat(w.at("/top_ups/0/status").asText()).isEqualTo("succeeded");
        assertThat(chargesWithKey(w.at("/top_ups/0/id").asText())).isEqualTo(1);
        assertThat(chargesWithKey(w.at("/top_ups/1/id").asText())).isEqualTo(1);
        // September 1: September's 2 granted hours and 2 of the 4 paid ones pay the support charge
        s.advanceTo("2026-09-01T08:00:00Z");

        assertThat(invoices(s, sub)).containsExactly(
                "2026-06-01 32.50 [recurring 30.00, recurring 10.00, credit -7.50]",
                "2026-07-01 30.00 [recurring 30.00, recurring 10.00, credit -10.00]",
                "2026-08-01 30.00 [recurring 30.00, recurring 10.00, credit -10.00]",
                "2026-09-01 30.00 [recurring 30.00, recurring 10.00, credit -10.00]");
    }

    @Test
    void twoRunnersRacingForTheSameTopUpChargeItOnceAndCreditItOnce() throws Exception {
        Sandbox s = new Sandbox("credit-topup-race", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Race Co", "USD", "UTC");
        String token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030,
                "cvc", "123"))).text("id");
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", token)).status()).isEqualTo(201);
        String wallets = "/v1/customers/" + c + "/credit_wallets";
        // opened empty below its threshold: a top-up to 1,000 credits at 0.03 (30.00) is asked at once
        String id = s.api.post(wallets, Map.of("name", "Credits", "unit", "credits", "rate", "0.03", "top_up", Map.of("threshold", "100",
                "target", "1000"))).text("id");
        JsonNode pending = s.api.get(wallets + "/" + id).json().at("/top_ups/0");
        assertThat(pending.get("status").asText()).isEqualTo("pending");
        assertThat(pending.get("amount").asText()).isEqualTo("30.00");
        var runner = TestNode.get().accrue().services().creditWalletTopUps();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(() -> runner.runForTestClock(s.tenant.id(), s.clockId)));
        }
        for (Future<Integer> r : runs) {
            r.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        JsonNode w = s.api.get(wallets + "/" + id).json();
        assertThat(w.get("top_ups")).hasSize(1);
        assertThat(w.at("/top_ups/0/status").asText()).isEqualTo("succeeded");
        assertThat(chargesWithKey(pending.get("id").asText())).isEqualTo(1);
        assertThat(w.at("/balance/paid_credits").asText()).isEqualTo("1000");
        assertThat(w.get("entries")).hasSize(1);
    }

    @Test
    void voidingAnInvoiceGivesItsCreditsBackToTheirLotsKeepingTheirExpiry() {
        Sandbox s = new Sandbox("credit-wallet-voids", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Void Co", "USD", "UTC");
        String wallets = "/v1/customers/" + c + "/credit_wallets";
        String id = s.api.post(wallets, Map.of("name", "Promo", "unit", "credits", "rate", "0.05")).text("id");
        String wallet = wallets + "/" + id;
        // 200 granted credits (10.00) until June 15 12:00, 400 paid ones (20.00) forever
        assertThat(s.api.post(wallet + "/grants", Map.of("credits", "200", "expires_at", "2026-06-15T12:00:00Z")).status()).isEqualTo(201);
        assertThat(s.api.post(wallet + "/grants", Map.of("credits", "400", "kind", "paid")).status()).isEqualTo(201);

        // 12.00 on June 10: all 200 granted credits (10.00), then 40 paid ones (2.00)
        s.advanceTo("2026-06-10T08:00:00Z");
        String first = oneOffInvoice(s, c, "12.00");
        assertThat(summary(s.api, s.api.get("/v1/invoices/" + first).json())).isEqualTo("0.00 [one_off 12.00, credit -12.00]");
        assertThat(balance(s, wallet)).isEqualTo("0 granted, 360 paid");
        // voided: both lots have their credits back, the granted ones still expiring on June 15
        assertThat(s.api.post("/v1/invoices/" + first + "/void", null).text("status")).isEqualTo("void");
        JsonNode w = s.api.get(wallet).json();
        assertThat(balance(s, wallet)).isEqualTo("200 granted, 400 paid");
        assertThat(entries(w, "returned")).containsExactlyInAnyOrder("200 10.00", "40 2.00");
        assertThat(w.get("lots").findValuesAsText("expires_at")).contains("2026-06-15T12:00:00Z");
        // voiding again changes nothing
        assertThat(s.api.post("/v1/invoices/" + first + "/void", null).text("code")).isEqualTo("invoice_not_open");
        assertThat(entries(s.api.get(wallet).json(), "returned")).hasSize(2);

        // 5.00 on June 14 takes 100 granted credits; voided on June 16, after their expiry: given back and written off at once,
        // dated at the expiry, as they would have been had the invoice never taken them; the paid credits are untouched
        s.advanceTo("2026-06-14T08:00:00Z");
        String second = oneOffInvoice(s, c, "5.00");
        assertThat(balance(s, wallet)).isEqualTo("100 granted, 400 paid");
        s.advanceTo("2026-06-16T08:00:00Z");
        assertThat(balance(s, wallet)).isEqualTo("0 granted, 400 paid");
        assertThat(s.api.post("/v1/invoices/" + second + "/void", null).text("status")).isEqualTo("void");
        w = s.api.get(wallet).json();
        assertThat(balance(s, wallet)).isEqualTo("0 granted, 400 paid");
        assertThat(entries(w, "returned")).containsExactlyInAnyOrder("200 10.00", "40 2.00", "100 5.00");
        assertThat(entries(w, "expired")).containsExactlyInAnyOrder("-100 -5.00 2026-06-15T12:00:00Z", "-100 -5.00 2026-06-15T12:00:00Z");
        // the books add up: 600 in, 300 written off, 400 left; what invoices still consume (none: both void) is what the ledger keeps
        BigDecimal net = BigDecimal.ZERO;
        for (JsonNode e : w.get("entries")) {
            net = net.add(new BigDecimal(e.get("credits").asText()));
        }
        assertThat(net).isEqualByComparingTo("400");
    }

    private static String oneOffInvoice(Sandbox s, String customer, String amount) {
        var r = s.api.post("/v1/customers/" + customer + "/one_off_charges", Map.of("description", "Service", "amount", amount));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("invoice_id");
    }

    private static String balance(Sandbox s, String wallet) {
        JsonNode b = s.api.get(wallet).json().get("balance");
        return b.get("granted_credits").asText() + " granted, " + b.get("paid_credits").asText() + " paid";
    }

    /** The wallet's entries of {@code kind} as "credits amount" (with the effective instant for expiries). */
    private static List<String> entries(JsonNode wallet, String kind) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : wallet.get("entries")) {
            if (e.get("kind").asText().equals(kind)) {
                out.add(e.get("credits").asText() + " " + e.get("amount").asText() + (kind.equals("expired") ? " " + e.get("effective_at").asText() : ""));
            }
        }
        return out;
    }

    private static long chargesWithKey(String key) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM sandbox_movements WHERE kind = 'charge' AND idempotency_key = :k").bind("k", "charge:" + key).mapTo(Long.class).one());
    }

    /** Charges {@code amount} once now; answers its invoice as "total [kind amount, …]". */
    private static String oneOff(Sandbox s, String customer, String amount) {
        var r = s.api.post("/v1/customers/" + customer + "/one_off_charges", Map.of("description", "Service", "amount", amount));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return summary(s.api, s.api.get("/v1/invoices/" + r.text("invoice_id")).json());
    }

    private static String summary(Api api, JsonNode i) {
        List<String> lines = new ArrayList<>();
        i.get("lines").forEach(l -> lines.add(l.get("kind").asText() + " " + l.get("amount").asText()));
        return i.get("total").asText() + " " + lines;
    }

    private static List<String> invoices(Sandbox s, String sub) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : s.api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data")) {
            out.addFirst(i.get("issue_date").asText() + " " + summary(s.api, i));
        }
        return out;
    }
}

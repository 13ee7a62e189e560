package dev.accrue.server.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Mails;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Prepaid wallets: top-ups with receipts and email, real-time drawdown, invoices paid from the balance, statements. */
public class WalletTest {
    public static final String VOICE = """
            name: prepaid-voice
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: starter
                product: voice
                name: Starter
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Starter, monthly_price: { USD: "10.00" } }
                  - type: metered
                    code: minutes
                    metric: call_seconds
                    allowances: [{ quantity: 600 }]
                    pricing: { model: per_unit, unit_price: { USD: "0.60" }, per_units: 60 }
                    overage: { policy: charge }
            """;

    /** A prepaid customer on the sandbox's test clock. */
    public static String prepaidCustomer(Sandbox s, String name) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("currency", "USD");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("account_type", "prepaid");
        body.put("test_clock_id", s.clockId);
        var r = s.api.post("/v1/customers", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }

    public static String balance(Sandbox s, String customer) {
        return s.api.get("/v1/customers/" + customer + "/wallet").text("balance");
    }

    static Map<String, Object> call(String id, String customer, String at, int seconds) {
        return Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", at, "properties", Map.of("duration_seconds", seconds));
    }

    @Test
    void aTopUpCreditsTheWalletAndSendsAReceiptWithVatAndTheNewBalance() throws Exception {
        Sandbox s = new Sandbox("top-up", VOICE, "2026-06-10T08:00:00Z");
        assertThat(s.api.patch("/v1/tenant", Map.of("tax_rate", "0.20")).status()).isEqualTo(200);
        String c = prepaidCustomer(s, "Receipt Co");
        var r = s.api.withHeader("Idempotency-Key", "topup-1").post("/v1/customers/" + c + "/wallet/top_ups",
                Map.of("amount", "100.00", "currency", "USD"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.text("number")).matches("RCT-0{5}1");
        assertThat(List.of(r.text("amount"), r.text("tax_rate"), r.text("tax"), r.text("total"), r.text("balance_after")))
                .containsExactly("100.00", "0.2", "20.00", "120.00", "100.00");
        // the same key replays the receipt; nothing is credited twice
        var again = s.api.withHeader("Idempotency-Key", "topup-1").post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "100.00", "currency", "USD"));
        assertThat(again.text("id")).isEqualTo(r.text("id"));
        assertThat(balance(s, c)).isEqualTo("100.00");
        var second = s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "25.50", "currency", "usd", "description", "Bank transfer"));
        assertThat(second.text("number")).matches("RCT-0{5}2");
        assertThat(second.text("balance_after")).isEqualTo("125.50");
        assertThat(s.api.get("/v1/customers/" + c + "/receipts").json().get("data")).hasSize(2);
        assertThat(s.api.get("/v1/receipts/" + r.text("id")).text("total")).isEqualTo("120.00");

        // the receipt email waits in the outbox, then the dispatcher sends it over SMTP
        JsonNode queued = s.api.get("/v1/emails?object_id=" + r.text("id")).json().get("data").get(0);
        assertThat(queued.get("status").asText()).isIn("queued", "sent");
        TestNode.get().accrue().mail().dispatch(100);
        JsonNode sent = s.api.get("/v1/emails?object_id=" + r.text("id")).json().get("data").get(0);
        assertThat(sent.get("status").asText()).isEqualTo("sent");
        MimeMessage received = Arrays.stream(TestNode.get().smtp().getReceivedMessages())
                .filter(m -> subject(m).contains(r.text("number")) && body(m).contains(c)).findFirst().orElseThrow();
        assertThat(body(received).lines().map(String::strip).toList()).contains("Credit added to your prepaid balance: 100.00 USD",
                "VAT 20 %: 20.00 USD", "Total paid: 120.00 USD", "New prepaid balance: 100.00 USD");
        assertThat(Mails.attachmentNames(received)).containsExactly(r.text("number") + ".pdf");
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo(sent.get("recipients").get(0).asText());
    }

    private static String body(MimeMessage m) {
        return Mails.text(m);
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badTopUpsAreRefusedAndChangeNothing() {
        Sandbox s = new Sandbox("bad top-ups", VOICE, "2026-06-10T08:00:00Z");
        String c = prepaidCustomer(s, "Careful Co");
        String path = "/v1/customers/" + c + "/wallet/top_ups";
        assertThat(s.api.post(path, Map.of("amount", "-5", "currency", "USD")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post(path, Map.of("amount", "0", "currency", "USD")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post(path, Map.of("amount", "99999999", "currency", "USD")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post(path, Map.of("amount", "10.001", "currency", "USD")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post(path, Map.of("amount", "10", "currency", "EUR")).code()).isEqualTo("currency_mismatch");
        assertThat(s.api.post(path, Map.of("amount", "ten", "currency", "USD")).status()).isEqualTo(400);
        assertThat(s.api.post(path, Map.of("amount", "10")).code()).isEqualTo("missing_field");
        assertThat(s.api.post("/v1/customers/cus_nope/wallet/top_ups", Map.of("amount", "10", "currency", "USD")).status()).isEqualTo(404);
        String postpaid = s.customer("Postpaid Co", "USD", "UTC");
        assertThat(s.api.post("/v1/customers/" + postpaid + "/wallet/top_ups", Map.of("amount", "10", "currency", "USD")).code()).isEqualTo("not_prepaid");
        var readOnly = TestNode.get().newTenant("other").api();
        assertThat(readOnly.post(path, Map.of("amount", "10", "currency", "USD")).status()).isEqualTo(404); // another tenant's customer
        assertThat(s.api.patch("/v1/customers/" + c + "/wallet", Map.of("credit_limit", "-1")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.patch("/v1/customers/" + c + "/wallet", Map.of("auto_recharge", Map.of("threshold", "5"))).code()).isEqualTo("validation_failed");
        assertThat(balance(s, c)).isEqualTo("0.00");
        assertThat(s.api.get("/v1/customers/" + c + "/wallet/entries").json().get("data")).isEmpty();
        assertThat(s.api.get("/v1/customers/" + c + "/receipts").json().get("data")).isEmpty();
    }

    @Test
    void aPrepaidCustomerPaysFromTheWalletInRealTimeAndItsMonthlyInvoiceOwesNothing() {
        Sandbox s = new Sandbox("prepaid month", VOICE, "2026-06-01T08:00:00Z");
        String c = prepaidCustomer(s, "Prepaid Calls");
        s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "50.00", "currency", "USD"));
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        // June's fee in advance is paid from the balance at once
        assertThat(s.invoices(sub)).containsExactly("2026-06-01 0.00 [recurring base 2026-06-01..2026-07-01 10.00, prepaid null 2026-06-01..2026-07-01 -10.00]");
        assertThat(s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/status").asText()).isEqualTo("paid");
        assertThat(balance(s, c)).isEqualTo("40.00");

        s.advanceTo("2026-06-15T12:00:00Z");
        // 600 s included; 900 s more cost 9.00 at 0.60 a minute, drawn the moment the calls are stored
        s.api.post("/v1/events/batch", Map.of("events", List.of(call("a", c, "2026-06-15T10:00:00Z", 600), call("b", c, "2026-06-15T11:00:00Z", 900))));
        assertThat(balance(s, c)).isEqualTo("31.00");
        s.api.post("/v1/events", call("c", c, "2026-06-15T11:30:00Z", 100));
        assertThat(balance(s, c)).isEqualTo("30.00");
        s.api.post("/v1/events", call("c", c, "2026-06-15T11:30:00Z", 100)); // a duplicate draws nothing
        assertThat(balance(s, c)).isEqualTo("30.00");

        s.advanceTo("2026-07-01T08:00:00Z");
        assertThat(s.invoices(sub).getLast()).isEqualTo("2026-07-01 0.00 [usage minutes 2026-06-01..2026-07-01 10.00, "
                + "recurring base 2026-07-01..2026-08-01 10.00, prepaid null 2026-07-01..2026-08-01 -20.00]");
        assertThat(balance(s, c)).isEqualTo("20.00"); // usage was already drawn; only July's fee is taken now

        JsonNode june = s.api.get("/v1/customers/" + c + "/wallet/statements/2026-06").json();
        assertThat(june.get("opening_balance").asText()).isEqualTo("0.00");
        assertThat(june.at("/totals/top_up").asText()).isEqualTo("50.00");
        assertThat(june.at("/totals/usage").asText()).isEqualTo("-10.00");
        assertThat(june.at("/totals/invoice").asText()).isEqualTo("-10.00");
        assertThat(june.get("consumption").asText()).isEqualTo("20.00");
        assertThat(june.get("closing_balance").asText()).isEqualTo("30.00");
        assertThat(june.get("amount_owed").asText()).isEqualTo("0.00");
        // and the statement was emailed with July's first billing run, once
        assertThat(s.api.get("/v1/emails?object_id=" + c + ":2026-06").json().get("data")).hasSize(1);
        TestNode.get().accrue().mail().dispatch(100); // templated emails are rendered when sent
        JsonNode mailed = s.api.get("/v1/emails?object_id=" + c + ":2026-06").json().get("data");
        assertThat(mailed.get(0).get("subject").asText()).isEqualTo("Your 2026-06 statement: 20.00 USD used, 0.00 owed");
        assertThat(mailed.get(0).get("body").asText()).contains("Opening balance: 0.00 USD", "Top-up: 50.00 USD",
                "Usage June 2026: -9.00 USD", "Closing balance: 30.00 USD", "Amount owed on invoices: 0.00 USD");
        assertThat(mailed.get(0).get("attachments").get(0).asText()).isEqualTo("STM-2026-06-" + c + ".pdf");
        s.advanceTo("2026-07-02T08:00:00Z");
        assertThat(s.api.get("/v1/emails?object_id=" + c + ":2026-06").json().get("data")).hasSize(1);
        JsonNode entries = s.api.get("/v1/customers/" + c + "/wallet/entries?limit=100").json().get("data");
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode e : entries) {
            sum = sum.add(new BigDecimal(e.get("amount").asText()));
        }
        assertThat(sum).isEqualByComparingTo(balance(s, c));
        assertThat(entries.get(0).get("balance_after").asText()).isEqualTo("20.00");
    }

    @Test
    void aCustomerMadePrepaidIsDrawnFromByItsVeryNextBatch() {
        // ingestion remembers who is prepaid (PrepaidDrawdown): a change through this node must be seen at once
        Sandbox s = new Sandbox("turned prepaid", VOICE, "2026-06-01T08:00:00Z");
        Map<String, Object> body = Fixtures.customer("Turning Co");
        body.put("currency", "USD");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        String c = s.api.post("/v1/customers", body).text("id");
        s.subscribe(Map.of("customer_id", c, "plan", "starter"));
        s.advanceTo("2026-06-15T12:00:00Z");
        assertThat(s.api.post("/v1/events", call("a", c, "2026-06-15T10:00:00Z", 600)).status()).isEqualTo(202); // remembered: postpaid

        var turned = s.api.patch("/v1/customers/" + c, Map.of("account_type", "prepaid"));
        assertThat(turned.status()).as(turned.toString()).isEqualTo(200);
        assertThat(s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "50.00", "currency", "USD")).status()).isEqualTo(201);
        s.api.post("/v1/events", call("b", c, "2026-06-15T11:00:00Z", 900)); // 900 s past the 600 included: 9.00
        assertThat(balance(s, c)).isEqualTo("41.00");
    }

    @Test
    void theBalanceStopsAtTheCreditLimitAndWhatItCannotPayStaysOwed() {
        Sandbox s = new Sandbox("credit limit", VOICE, "2026-06-01T08:00:00Z");
        String c = prepaidCustomer(s, "Limited Co");
        s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "12.00", "currency", "USD"));
        var configured = s.api.patch("/v1/customers/" + c + "/wallet", Map.of("credit_limit", "5", "auto_recharge", Map.of("threshold", "3", "amount", "25")));
        assertThat(configured.status()).as(configured.toString()).isEqualTo(200);
        assertThat(configured.text("spendable")).isEqualTo("17.00");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        assertThat(balance(s, c)).isEqualTo("2.00");
        // falling below the threshold asks for a recharge of 25 (charged once payments exist)
        assertThat(s.api.get("/v1/customers/" + c + "/wallet").json().at("/auto_recharge/requested_at").isNull()).isFalse();
        s.advanceTo("2026-06-20T08:00:00Z");
        // 1,600 s = 1,000 s overage = 10.00, but only 2 + 5 can be spent
        s.api.post("/v1/events", call("big", c, "2026-06-20T07:00:00Z", 1600));
        assertThat(balance(s, c)).isEqualTo("-5.00");
        s.advanceTo("2026-07-01T08:00:00Z");
        // the invoice shows all the usage; the wallet paid 7 of it, the rest and July's fee are owed
        assertThat(s.invoices(sub).getLast()).isEqualTo("2026-07-01 13.00 [usage minutes 2026-06-01..2026-07-01 10.00, "
                + "recurring base 2026-07-01..2026-08-01 10.00, prepaid null 2026-07-01..2026-08-01 -7.00]");
        assertThat(balance(s, c)).isEqualTo("-5.00");
        assertThat(s.api.get("/v1/customers/" + c + "/wallet/statements/2026-07").text("amount_owed")).isEqualTo("13.00");
    }

    @Test
    void concurrentTopUpsAndDrawdownsNeverLoseAnEntryNorOverdraw() throws Exception {
        Sandbox s = new Sandbox("wallet race", VOICE.replace("allowances: [{ quantity: 600 }]", "allowances: [{ quantity: 0 }]")
                .replace("monthly_price: { USD: \"10.00\" }", "monthly_price: { USD: \"0.00\" }"), "2026-06-01T08:00:00Z");
        String c = prepaidCustomer(s, "Busy Line");
        s.subscribe(Map.of("customer_id", c, "plan", "starter"));
        s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "3.00", "currency", "USD"));
        s.advanceTo("2026-06-10T08:00:00Z");
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 60; i++) {
                int n = i;
                results.add(pool.submit(() -> n % 3 == 0
                        ? s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "0.10", "currency", "USD")).status()
                        : s.api.post("/v1/events", call("p" + n, c, "2026-06-10T07:00:00Z", 60)).status()));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isIn(201, 202);
            }
        }
        // 20 top-ups of 0.10 = 5.00 in all; 40 calls of a minute at 0.60 would cost 24.00, far more than can be paid
        JsonNode entries = s.api.get("/v1/customers/" + c + "/wallet/entries?limit=100").json().get("data");
        long topUps = 0;
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode e : entries) {
            topUps += e.get("kind").asText().equals("top_up") ? 1 : 0;
            sum = sum.add(new BigDecimal(e.get("amount").asText()));
        }
        assertThat(topUps).isEqualTo(21);
        assertThat(sum).isEqualByComparingTo(balance(s, c));
        assertThat(new BigDecimal(balance(s, c))).isGreaterThanOrEqualTo(BigDecimal.ZERO); // no credit limit: never below 0
        assertThat(new BigDecimal(balance(s, c))).isLessThan(new BigDecimal("0.60"));
    }

    @Test
    void parallelCallsOfAPrepaidCustomerAreAuthorizedOnlyAsFarAsTheWalletPays() throws Exception {
        Sandbox s = new Sandbox("prepaid calls", VOICE.replace("allowances: [{ quantity: 600 }]", "allowances: [{ quantity: 60 }]")
                .replace("monthly_price: { USD: \"10.00\" }", "monthly_price: { USD: \"0.00\" }"), "2026-06-01T08:00:00Z");
        String c = prepaidCustomer(s, "Tight Budget");
        s.subscribe(Map.of("customer_id", c, "plan", "starter"));
        s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "3.00", "currency", "USD"));
        s.advanceTo("2026-06-10T08:00:00Z");
        // 60 s included + 3.00 at 0.60 a minute = 300 s more: 360 s in all
        var first = s.api.post("/v1/authorizations", Map.of("customer_id", c, "metric", "call_seconds", "requested", 1));
        assertThat(first.text("available")).isEqualTo("360");
        var released = s.api.post("/v1/authorizations/" + first.text("authorization_id") + "/release", null);
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        List<Future<String>> granted = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 200; i++) {
                granted.add(pool.submit(() -> {
                    var r = s.api.post("/v1/authorizations", Map.of("customer_id", c, "metric", "call_seconds", "requested", 7));
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    return r.json().get("granted").asText();
                }));
            }
            BigDecimal total = BigDecimal.ZERO;
            for (Future<String> f : granted) {
                total = total.add(new BigDecimal(f.get()));
            }
            assertThat(total).isEqualByComparingTo("360");
        }
        var refused = s.api.post("/v1/authorizations", Map.of("customer_id", c, "metric", "call_seconds", "requested", 7));
        assertThat(refused.json().get("authorized").asBoolean()).isFalse();
        assertThat(refused.text("reason")).isEqualTo("balance_exhausted");
        // a top-up opens the line again at once
        s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "0.60", "currency", "USD"));
        var again = s.api.post("/v1/authorizations", Map.of("customer_id", c, "metric", "call_seconds", "requested", 120));
        assertThat(again.text("granted")).isEqualTo("60");
    }

    @Test
    void usageCorrectedDownAfterItsInvoiceIsCreditedBackToTheWallet() {
        Sandbox s = new Sandbox("prepaid credit", VOICE.replace("monthly_price: { USD: \"10.00\" }", "monthly_price: { USD: \"0.00\" }"),
                "2026-06-01T08:00:00Z");
        String c = prepaidCustomer(s, "Corrected Co");
        s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "10.00", "currency", "USD"));
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "starter")).get("id").asText();
        s.advanceTo("2026-06-20T08:00:00Z");
        s.api.post("/v1/events", call("long", c, "2026-06-20T07:00:00Z", 720)); // 120 s over the 600 included: 1.20
        assertThat(balance(s, c)).isEqualTo("8.80");
        s.advanceTo("2026-07-03T08:00:00Z");
        assertThat(s.api.patch("/v1/events/long", Map.of("properties", Map.of("duration_seconds", 600))).status()).isEqualTo(200);
        s.advanceTo("2026-08-01T08:00:00Z");
        assertThat(s.invoices(sub).getLast()).isEqualTo("2026-08-01 0.00 [adjustment minutes 2026-06-01..2026-07-01 -1.20, "
                + "usage minutes 2026-07-01..2026-08-01 0.00, prepaid null 2026-08-01..2026-09-01 1.20]");
        assertThat(balance(s, c)).isEqualTo("10.00");
    }
}

package dev.accrue.server.api;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input is refused at the boundary with a problem document naming the field, and changes nothing: the
 * attacks of issue 11 (enterprise overrides out of range, NUL and invalid UTF-8, unbounded text, fractions for
 * integers, numbers for dates, non-currencies, forged cursors, oversized catalogs, malformed HTTP).
 */
class HostileInputTest {
    static final String CATALOG = """
            name: hostile
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            features:
              - { code: seats, name: Seats, type: quota }
            products:
              - { code: app, name: App }
            plans:
              - code: pro
                product: app
                name: Pro
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Pro, monthly_price: { USD: "40.00" } }
                entitlements: { quotas: { seats: 5 } }
            """;

    @Test
    void overridesObeyTheRulesOfCatalogPricesAndQuotas() {
        Sandbox s = new Sandbox("hostile overrides", CATALOG, "2026-01-01T10:00:00Z");
        String c = s.customer("Deal Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        String path = "/v1/subscriptions/" + sub + "/overrides";
        String before = s.api.get(path).body();
        record Attack(String body, String code, String field) {
        }
        List<Attack> attacks = List.of(
                new Attack("{\"prices\": {\"base\": {\"USD\": \"-10.00\"}}}", "invalid_amount", "overrides.prices.base.USD"),
                new Attack("{\"prices\": {\"base\": {\"USD\": \"10.001\"}}}", "invalid_amount", "overrides.prices.base.USD"),
                new Attack("{\"prices\": {\"base\": {\"USD\": 1e400}}}", "invalid_amount", "overrides.prices.base.USD"),
                new Attack("{\"prices\": {\"base\": {\"USD\": \"9223372036854775808\"}}}", "invalid_amount", "overrides.prices.base.USD"),
                new Attack("{\"quotas\": {\"seats\": -1}}", "invalid_amount", "overrides.quotas.seats"),
                new Attack("{\"quotas\": {\"seats\": 1.5}}", "wrong_type", "quotas.seats"),
                new Attack("{\"quotas\": {\"seats\": 9223372036854775808}}", "validation_failed", "quotas.seats"));
        for (Attack a : attacks) {
            var r = s.api.send("PUT", path, a.body());
            assertThat(r.status()).as(a.body() + " -> " + r).isEqualTo(400);
            assertThat(r.code()).as(a.body() + " -> " + r).isEqualTo(a.code());
            assertThat(r.text("field")).as(a.body() + " -> " + r).isEqualTo(a.field());
        }
        assertThat(s.api.get(path).body()).as("a refused deal changes nothing").isEqualTo(before);
        assertThat(s.api.send("PUT", path, "{\"prices\": {\"base\": {\"USD\": \"1000000.00\"}}, \"quotas\": {\"seats\": 2000}}").status()).isEqualTo(200);
    }

    @Test
    void nulControlCharactersAndInvalidUtf8AreRefusedWithTheFieldAndChangeNothing() {
        Api api = TestNode.get().newTenant("hostile text").api();
        Map<String, Object> nul = Fixtures.customer("Acme\u0000 Inc");
        var r = api.post("/v1/customers", nul);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_text");
        assertThat(r.text("field")).isEqualTo("legal_name");
        Map<String, Object> bell = Fixtures.customer("Acme");
        bell.put("billing_emails", List.of("ok@acme.example", "b\u0007@acme.example"));
        assertThat(api.post("/v1/customers", bell).text("field")).isEqualTo("billing_emails[1]");
        Map<String, Object> key = Fixtures.customer("Acme");
        key.put("metadata", Map.of("bad\u0000key", "x"));
        assertThat(api.post("/v1/customers", key).code()).isEqualTo("invalid_text");

        String id = api.post("/v1/customers", Fixtures.customer("Acme")).text("id");
        byte[] invalid = "{\"legal_name\": \"\u00c3\u00a9X\"}".getBytes(StandardCharsets.ISO_8859_1);
        invalid[17] = (byte) 0xC3;
        invalid[18] = (byte) 0x28; // a lead byte followed by a non-continuation byte
        var patched = api.sendBytes("PATCH", "/v1/customers/" + id, invalid, "application/merge-patch+json");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(400);
        assertThat(patched.code()).isEqualTo("invalid_text");
        assertThat(api.patch("/v1/customers/" + id, Map.of("legal_name", "Acme\u001b[31m")).code()).isEqualTo("invalid_text");
        assertThat(api.get("/v1/customers/" + id).text("legal_name")).isEqualTo("Acme");

        var posted = api.sendBytes("POST", "/v1/customers", invalid, "application/json");
        assertThat(posted.code()).isEqualTo("invalid_text");
        var yaml = api.sendBytes("POST", "/v1/catalog/versions", "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1), "application/yaml");
        assertThat(yaml.code()).isEqualTo("invalid_text");
        var yamlNul = api.postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1.replace("name: Basic", "name: \"Ba\\0sic\""));
        assertThat(yamlNul.code()).as(yamlNul.toString()).isEqualTo("invalid_catalog");

        var query = api.get("/v1/customers?query=a%00b");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.code()).isEqualTo("invalid_text");
        assertThat(query.text("field")).isEqualTo("query");
        var path = api.get("/v1/customers/cus_%00");
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.code()).as("Jetty itself refuses a NUL in the path, as a problem document").isIn("malformed_request", "invalid_text");
        assertThat(api.get("/v1/customers?limit=100").json().get("data")).hasSize(1);
    }

    @Test
    void textIsBoundedIntegersAreIntegersDatesAreStringsAndCurrenciesAreMoney() {
        Sandbox s = new Sandbox("hostile values", CATALOG, "2026-01-01T10:00:00Z");
        Map<String, Object> prepaid = Fixtures.customer("Prepaid Co");
        prepaid.put("account_type", "prepaid");
        prepaid.put("test_clock_id", s.clockId);
        String c = s.api.post("/v1/customers", prepaid).text("id");
        var topUp = s.api.post("/v1/customers/" + c + "/wallet/top_ups", Map.of("amount", "10.00", "currency", "USD", "description", "x".repeat(100_000)));
        assertThat(topUp.status()).isEqualTo(400);
        assertThat(topUp.code()).isEqualTo("validation_failed");
        assertThat(topUp.text("field")).isEqualTo("description");
        assertThat(s.api.get("/v1/customers/" + c + "/receipts").json().get("data")).isEmpty();

        var limit = s.api.patch("/v1/customers/" + c + "/wallet", Map.of("credit_limit", "10.001"));
        assertThat(limit.code()).isEqualTo("invalid_amount");
        assertThat(limit.text("field")).isEqualTo("credit_limit");

        Map<String, Object> longName = Fixtures.customer("x".repeat(201));
        assertThat(s.api.post("/v1/customers", longName).text("field")).isEqualTo("legal_name");

        Map<String, Object> trial = new LinkedHashMap<>(Map.of("customer_id", c, "plan", "pro", "trial_days", 1.5));
        var fraction = s.api.post("/v1/subscriptions", trial);
        assertThat(fraction.code()).isEqualTo("wrong_type");
        assertThat(fraction.text("field")).isEqualTo("trial_days");
        var numericDate = s.api.post("/v1/subscriptions", Map.of("customer_id", c, "plan", "pro", "start_date", 20260101));
        assertThat(numericDate.code()).isEqualTo("wrong_type");
        assertThat(numericDate.text("field")).isEqualTo("start_date");
        var numericInstant = s.api.post("/v1/test_clocks", Map.of("name", "epoch", "frozen_time", 1767225600));
        assertThat(numericInstant.code()).isEqualTo("wrong_type");
        assertThat(numericInstant.text("field")).isEqualTo("frozen_time");
        assertThat(s.api.get("/v1/subscriptions?customer_id=" + c).json().get("data")).isEmpty();

        for (String notMoney : List.of("XXX", "XTS", "XAU")) {
            Map<String, Object> body = Fixtures.customer("No money");
            body.put("currency", notMoney);
            var r = s.api.post("/v1/customers", body);
            assertThat(r.code()).as(notMoney).isEqualTo("invalid_currency");
        }

        for (String forged : List.of("AAAA", enc("after:\u0000"), enc("after:cus_' OR 1=1 --"), enc("after:" + "z".repeat(90)), "%00")) {
            var r = s.api.get("/v1/customers?cursor=" + forged);
            assertThat(r.status()).as(forged).isEqualTo(400);
            assertThat(r.code()).as(forged).isIn("invalid_cursor", "invalid_text");
        }
        assertThat(s.api.get("/v1/customers?cursor=" + enc("after:\u0000")).code()).isEqualTo("invalid_cursor");
    }

    @Test
    void catalogBodiesHaveTheirOwnSizeAndLineLimitsCheckedBeforeParsing() {
        Api api = TestNode.get().newTenant("hostile catalog").api();
        long started = System.nanoTime();
        var oneLine = api.postYaml("/v1/catalog/versions", "name: " + "a".repeat(5 * 1024 * 1024));
        assertThat(oneLine.status()).isEqualTo(400);
        assertThat(oneLine.code()).isEqualTo("invalid_catalog");
        assertThat(oneLine.json().at("/errors/0/code").asText()).isEqualTo("too_large");
        var longLine = api.postYaml("/v1/catalog/validate", Fixtures.CATALOG_V1 + "# " + "b".repeat(10_000) + "\n");
        assertThat(longLine.json().at("/errors/0/code").asText()).isEqualTo("too_large");
        assertThat(longLine.json().at("/errors/0/message").asText()).contains("line 16");
        assertThat((System.nanoTime() - started) / 1_000_000).as("refused without parsing, in milliseconds").isLessThan(5_000);
        assertThat(api.get("/v1/catalog/versions").json().get("data")).isEmpty();
    }

    @Test
    void errorsOfTheHttpServerItselfAreProblemDocumentsWithCodes() throws IOException {
        assertRaw("GET /v1/customers/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400, "malformed_request");
        assertRaw("GET /v1/customers?q=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 414, "uri_too_long");
        assertRaw("GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n", 431, "headers_too_large");
        String key = TestNode.get().newTenant("hostile http").api().post("/v1/api_keys", Map.of("name", "big body")).text("secret");
        assertRaw("POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 40000000\r\nConnection: close\r\n\r\n{", 413, "payload_too_large");
    }

    private static void assertRaw(String request, int status, String code) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", TestNode.get().accrue().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            assertThat(response).as(response).startsWith("HTTP/1.1 " + status);
            assertThat(response.toLowerCase()).as(response).contains("content-type: application/problem+json");
            assertThat(response).as(response).contains("\"code\":\"" + code + "\"");
        }
    }

    private static String enc(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

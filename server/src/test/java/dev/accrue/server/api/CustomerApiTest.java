package dev.accrue.server.api;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerApiTest {
    private Api api;

    @BeforeEach
    void tenant() {
        api = TestNode.get().newTenant("customers").api();
    }

    @Test
    void createsReadsUpdatesAndDeletesACustomer() {
        var created = api.post("/v1/customers", Fixtures.customer());
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");
        assertThat(id).startsWith("cus_");
        assertThat(created.json().at("/billing_address/country").asText()).isEqualTo("US");
        assertThat(created.json().at("/payment_terms/collection_method").asText()).isEqualTo("auto_pay");
        assertThat(created.json().get("version").asInt()).isEqualTo(1);

        var read = api.get("/v1/customers/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created.json());

        var updated = api.patch("/v1/customers/" + id, Map.of("legal_name", "Brightside Dental Group LLC",
                "billing_address", Map.of("city", "Pittsburgh"), "tax_id", "12-3456789"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.text("legal_name")).isEqualTo("Brightside Dental Group LLC");
        assertThat(updated.json().at("/billing_address/city").asText()).isEqualTo("Pittsburgh");
        assertThat(updated.json().at("/billing_address/line1").asText()).isEqualTo("410 Market Street");
        assertThat(updated.text("tax_id")).isEqualTo("12-3456789");
        assertThat(updated.json().get("version").asInt()).isEqualTo(2);

        var cleared = api.patch("/v1/customers/" + id, "{\"tax_id\": null}");
        assertThat(cleared.text("tax_id")).isNull();

        assertThat(api.delete("/v1/customers/" + id).status()).isEqualTo(200);
        assertThat(api.get("/v1/customers/" + id).code()).isEqualTo("not_found");
    }

    @Test
    void metadataReadsBackFromStorageAsWritten() {
        Map<String, Object> body = Fixtures.customer();
        body.put("metadata", Map.of("crm_id", "0042", "région", "Île-de-France ☎", "note", "", "quote", "say \"hi\" \\ bye"));
        var created = api.post("/v1/customers", body);
        assertThat(created.status()).isEqualTo(201);
        var read = api.get("/v1/customers/" + created.text("id"));
        assertThat(read.json().get("metadata").properties()).hasSize(4);
        assertThat(read.json().at("/metadata/crm_id").asText()).isEqualTo("0042");
        assertThat(read.json().at("/metadata/région").asText()).isEqualTo("Île-de-France ☎");
        assertThat(read.json().at("/metadata/note").asText()).isEmpty();
        assertThat(read.json().at("/metadata/quote").asText()).isEqualTo("say \"hi\" \\ bye");

        var plain = api.post("/v1/customers", Fixtures.customer());
        assertThat(api.get("/v1/customers/" + plain.text("id")).json().get("metadata").isEmpty()).isTrue();
    }

    @Test
    void appliesDefaultsForOptionalFields() {
        Map<String, Object> body = Fixtures.customer();
        body.remove("time_zone");
        body.remove("alignment");
        body.remove("payment_terms");
        body.remove("account_type");
        var created = api.post("/v1/customers", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("time_zone")).isEqualTo("UTC");
        assertThat(created.text("alignment")).isNull();
        assertThat(created.text("account_type")).isEqualTo("postpaid");
        assertThat(created.json().at("/payment_terms/net_days").asInt()).isZero();
    }

    static Stream<Arguments> invalidCustomers() {
        return Stream.of(
                bad("missing legal name", b -> b.remove("legal_name"), "missing_field", "legal_name"),
                bad("blank legal name", b -> b.put("legal_name", "  "), "missing_field", "legal_name"),
                bad("too long legal name", b -> b.put("legal_name", "x".repeat(201)), "validation_failed", "legal_name"),
                bad("no emails", b -> b.put("billing_emails", List.of()), "missing_field", "billing_emails"),
                bad("bad email", b -> b.put("billing_emails", List.of("ok@example.com", "not-an-email")), "validation_failed", "billing_emails[1]"),
                bad("missing address", b -> b.remove("billing_address"), "missing_field", "billing_address"),
                bad("bad country", b -> b.put("billing_address", Map.of("line1", "x", "city", "y", "country", "XX")), "validation_failed", "billing_address.country"),
                bad("missing city", b -> b.put("billing_address", Map.of("line1", "x", "country", "US")), "missing_field", "billing_address.city"),
                bad("missing currency", b -> b.remove("currency"), "missing_field", "currency"),
                bad("unknown currency", b -> b.put("currency", "XYZ"), "invalid_currency", "currency"),
                bad("lower-case currency", b -> b.put("currency", "usd"), "invalid_currency", "currency"),
                bad("bad time zone", b -> b.put("time_zone", "Mars/Olympus"), "invalid_time_zone", "time_zone"),
                bad("bad alignment", b -> b.put("alignment", "fortnightly"), "validation_failed", "alignment"),
                bad("bad collection method", b -> b.put("payment_terms", Map.of("collection_method", "cash")), "validation_failed", "payment_terms.collection_method"),
                bad("negative net days", b -> b.put("payment_terms", Map.of("net_days", -1)), "validation_failed", "payment_terms.net_days"),
                bad("absurd net days", b -> b.put("payment_terms", Map.of("net_days", 10_000)), "validation_failed", "payment_terms.net_days"),
                bad("bad account type", b -> b.put("account_type", "free"), "validation_failed", "account_type"),
                bad("bad tax id", b -> b.put("tax_id", "<script>"), "validation_failed", "tax_id"),
                bad("unknown field", b -> b.put("nickname", "bob"), "unknown_field", "nickname"),
                bad("unknown nested field", b -> b.put("billing_address", Map.of("line1", "x", "city", "y", "country", "US", "planet", "earth")), "unknown_field", "billing_address.planet"),
                bad("number for string", b -> b.put("legal_name", 42), "wrong_type", "legal_name"),
                bad("string for integer", b -> b.put("payment_terms", Map.of("net_days", "thirty")), "wrong_type", "payment_terms.net_days"),
                bad("object for array", b -> b.put("billing_emails", Map.of("a", "b")), "wrong_type", "billing_emails"));
    }

    private static Arguments bad(String name, Consumer<Map<String, Object>> breakIt, String code, String field) {
        return Arguments.of(name, breakIt, code, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCustomers")
    void refusesInvalidInputWithAPreciseProblemAndStoresNothing(String name, Consumer<Map<String, Object>> breakIt, String code, String field) {
        Map<String, Object> body = Fixtures.customer();
        breakIt.accept(body);
        var response = api.post("/v1/customers", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.text("field")).isEqualTo(field);
        assertThat(response.text("detail")).isNotBlank();
        assertThat(api.get("/v1/customers").json().get("data")).isEmpty();
    }

    @Test
    void refusesMalformedJson() {
        for (String body : List.of("{", "{\"legal_name\": }", "[1,2]", "\"text\"", "{} {}", "")) {
            var response = api.post("/v1/customers", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.code()).as(body).isEqualTo("malformed_json");
        }
        assertThat(api.get("/v1/customers").json().get("data")).isEmpty();
    }

    @Test
    void anUpdateIsValidatedAsAWholeAndAFailedOneChangesNothing() {
        String id = api.post("/v1/customers", Fixtures.customer()).text("id");
        var response = api.patch("/v1/customers/" + id, Map.of("legal_name", "New Name", "currency", "NOPE"));
        assertThat(response.code()).isEqualTo("invalid_currency");
        assertThat(api.get("/v1/customers/" + id).text("legal_name")).isEqualTo("Brightside Dental LLC");
        assertThat(api.patch("/v1/customers/" + id, Map.of("id", "cus_x")).code()).isEqualTo("unknown_field");
    }

    @Test
    void unknownIdsAreNotFound() {
        assertThat(api.get("/v1/customers/cus_01ARZ3NDEKTSV4RRFFQ69G5FAV").code()).isEqualTo("not_found");
        assertThat(api.patch("/v1/customers/nonsense", Map.of("legal_name", "x")).code()).isEqualTo("not_found");
        assertThat(api.delete("/v1/customers/nonsense").code()).isEqualTo("not_found");
    }

    @Test
    void externalIdsAreUniquePerTenant() {
        Map<String, Object> body = Fixtures.customer();
        body.put("external_id", "crm-42");
        assertThat(api.post("/v1/customers", body).status()).isEqualTo(201);
        var duplicate = api.post("/v1/customers", body);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("already_exists");
        assertThat(duplicate.text("field")).isEqualTo("external_id");
    }

    @Test
    void listsNewestFirstWithCursorPagination() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(api.post("/v1/customers", Fixtures.customer("Customer " + i)).text("id"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get("/v1/customers?limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("data").forEach(c -> seen.add(c.get("id").asText()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(created.reversed());
        assertThat(new HashSet<>(seen)).hasSize(7);
    }

    @Test
    void refusesBadPaginationParameters() {
        assertThat(api.get("/v1/customers?limit=0").code()).isEqualTo("validation_failed");
        assertThat(api.get("/v1/customers?limit=1000").code()).isEqualTo("validation_failed");
        assertThat(api.get("/v1/customers?limit=ten").code()).isEqualTo("wrong_type");
        assertThat(api.get("/v1/customers?cursor=garbage!").code()).isEqualTo("invalid_cursor");
    }

    @Test
    void searchesByNameEmailAndExternalId() {
        Map<String, Object> a = Fixtures.customer("Harbor Realty Group");
        a.put("billing_emails", List.of("billing@harbor.example"));
        a.put("external_id", "crm-harbor");
        api.post("/v1/customers", a);
        api.post("/v1/customers", Fixtures.customer("Sunrise Solar"));
        assertThat(names(api.get("/v1/customers?query=harbor"))).containsExactly("Harbor Realty Group");
        assertThat(names(api.get("/v1/customers?query=HARBOR.EXAMPLE"))).containsExactly("Harbor Realty Group");
        assertThat(names(api.get("/v1/customers?email=billing@harbor.example"))).containsExactly("Harbor Realty Group");
        assertThat(names(api.get("/v1/customers?external_id=crm-harbor"))).containsExactly("Harbor Realty Group");
        assertThat(names(api.get("/v1/customers?query=solar"))).containsExactly("Sunrise Solar");
        assertThat(names(api.get("/v1/customers?query=%25"))).isEmpty();
    }

    private static Set<String> names(Api.Response list) {
        Set<String> out = new HashSet<>();
        list.json().get("data").forEach(c -> out.add(c.get("legal_name").asText()));
        return out;
    }
}

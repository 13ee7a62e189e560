package dev.accrue.server.tax;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A customer's tax status and VAT id: stored normalized, and a malformed VAT id refused with nothing changed. */
class CustomerTaxFieldsTest {
    private Api api;

    @BeforeEach
    void tenant() {
        api = TestNode.get().newTenant("customer-tax").api();
    }

    private static Map<String, Object> inGermany(String taxId) {
        Map<String, Object> body = Fixtures.customer("Müller GmbH");
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "Hauptstraße 1", "city", "Berlin", "postal_code", "10115", "country", "DE")));
        body.put("currency", "EUR");
        body.put("tax_status", "business");
        body.put("tax_id", taxId);
        return body;
    }

    @Test
    void storesTheStatusAndTheVatIdNormalized() {
        var created = api.post("/v1/customers", inGermany("de 123.456.789"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.text("tax_id")).isEqualTo("DE123456789");
        assertThat(created.text("tax_status")).isEqualTo("business");
        assertThat(api.get("/v1/customers/" + created.text("id")).json()).isEqualTo(created.json());
        // a customer that says nothing is taxable
        assertThat(api.post("/v1/customers", Fixtures.customer()).text("tax_status")).isEqualTo("taxable");
    }

    @Test
    void refusesAMalformedVatIdOnCreateAndStoresNothing() {
        for (String bad : new String[]{"DE12345", "FR12345678901", "123456789"}) {
            var response = api.post("/v1/customers", inGermany(bad));
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.code()).as(bad).isEqualTo("invalid_tax_id");
            assertThat(response.text("field")).isEqualTo("tax_id");
        }
        assertThat(api.get("/v1/customers").json().get("data")).isEmpty();
    }

    @Test
    void refusesAMalformedVatIdOnUpdateAndChangesNothing() {
        String id = api.post("/v1/customers", inGermany("DE123456789")).text("id");
        var response = api.patch("/v1/customers/" + id, Map.of("tax_id", "DE1234567890", "legal_name", "Other"));
        assertThat(response.code()).isEqualTo("invalid_tax_id");
        // moving the customer to France without a French VAT id is refused too: the id must be of its state
        assertThat(api.patch("/v1/customers/" + id, Map.of("billing_address", Map.of("country", "FR"))).code()).isEqualTo("invalid_tax_id");
        var now = api.get("/v1/customers/" + id);
        assertThat(now.text("tax_id")).isEqualTo("DE123456789");
        assertThat(now.text("legal_name")).isEqualTo("Müller GmbH");
        assertThat(now.json().at("/billing_address/country").asText()).isEqualTo("DE");
        assertThat(api.patch("/v1/customers/" + id, Map.of("tax_status", "sometimes")).code()).isEqualTo("validation_failed");
    }
}

package dev.accrue.server.tax;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant's tax configuration as data: shipped EU defaults, edits over them, refused as a whole when bad. */
class TaxSettingsTest {
    private Api api;

    @BeforeEach
    void tenant() {
        api = TestNode.get().newTenant("tax-settings").api();
    }

    private static String rate(JsonNode table, String country, String category) {
        for (JsonNode r : table) {
            if (r.get("country").asText().equals(country) && r.get("category").asText().equals(category) && r.get("region").isNull()) {
                return r.get("rate").asText();
            }
        }
        return null;
    }

    @Test
    void aNewTenantCollectsNoTaxButSeesTheShippedEuTable() {
        var s = api.get("/v1/tenant/tax");
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.text("seller_country")).isNull();
        assertThat(s.text("prices")).isEqualTo("tax_exclusive");
        assertThat(s.json().get("rates")).isEmpty();
        assertThat(rate(s.json().get("effective_rates"), "FR", "standard")).isEqualTo("0.2");
        assertThat(rate(s.json().get("effective_rates"), "DE", "standard")).isEqualTo("0.19");
        assertThat(rate(s.json().get("effective_rates"), "HU", "standard")).isEqualTo("0.27");
        assertThat(s.json().get("effective_rates").size()).isGreaterThanOrEqualTo(27);
    }

    @Test
    void editsReplaceOrAddRowsAndAreAudited() {
        var put = api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "fr", "prices", "tax_inclusive", "rates", List.of(
                Map.of("country", "DE", "type", "MwSt", "rate", "0.16"),
                Map.of("country", "CA", "region", "ON", "type", "HST", "rate", "0.13"))));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.text("seller_country")).isEqualTo("FR");
        assertThat(put.text("prices")).isEqualTo("tax_inclusive");
        assertThat(rate(put.json().get("effective_rates"), "DE", "standard")).isEqualTo("0.16");
        assertThat(api.get("/v1/tenant/tax").json()).isEqualTo(put.json());
        assertThat(api.get("/v1/audit_events?object_type=tenant").body()).contains("tenant.tax_settings_updated");
    }

    @Test
    void badSettingsChangeNothing() {
        api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR"));
        var before = api.get("/v1/tenant/tax").json();
        var bads = List.<Map<String, Object>>of(
                Map.of("seller_country", "France"),
                Map.of("seller_country", "FR", "prices", "sometimes"),
                Map.of("seller_country", "FR", "rates", List.of(Map.of("country", "FR", "type", "VAT", "rate", "1.5"))),
                Map.of("seller_country", "FR", "rates", List.of(Map.of("country", "FR", "type", "VAT", "rate", "0.2", "category", "luxury"))),
                Map.of("seller_country", "FR", "rates", List.of(Map.of("country", "FR", "type", "VAT", "rate", "0.2"),
                        Map.of("country", "FR", "type", "TVA", "rate", "0.21"))));
        for (var bad : bads) {
            var r = api.send("PUT", "/v1/tenant/tax", bad);
            assertThat(r.status()).as(bad.toString()).isEqualTo(400);
            assertThat(r.code()).as(bad.toString()).isEqualTo("validation_failed");
        }
        assertThat(api.get("/v1/tenant/tax").json()).isEqualTo(before);
    }
}

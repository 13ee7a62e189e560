package dev.accrue.server.catalog;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogApiTest {
    static final String V1 = Fixtures.CATALOG_V1;
    static final String V2 = V1.replace("version: 1", "version: 2").replace("2026-01-01", "2026-06-01").replace("\"30.00\"", "\"35.00\"");

    private Api api;

    @BeforeEach
    void tenant() {
        api = TestNode.get().newTenant("catalog").api();
    }

    @Test
    void importsVersionsAndServesTheOneInForce() {
        var v1 = api.postYaml("/v1/catalog/versions?file_name=acme.yaml", V1);
        assertThat(v1.status()).as(v1.body()).isEqualTo(201);
        assertThat(v1.text("id")).startsWith("catv_");
        assertThat(v1.json().at("/catalog/plans/0/charges/0/type").asText()).isEqualTo("recurring");
        assertThat(v1.json().at("/catalog/plans/0/charges/0/monthly_price/USD").asText()).isEqualTo("30.00");
        assertThat(api.postYaml("/v1/catalog/versions", V2).status()).isEqualTo(201);

        assertThat(api.get("/v1/catalog/versions").json().get("data")).extracting(v -> v.get("version").asInt()).containsExactly(2, 1);
        assertThat(api.get("/v1/catalog/current?at=2026-03-01T00:00:00Z").json().get("version").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/catalog/current?at=2026-07-01T00:00:00Z").json().get("version").asInt()).isEqualTo(2);
        assertThat(api.get("/v1/catalog/current?at=2025-07-01T00:00:00Z").code()).isEqualTo("not_found");
        assertThat(api.get("/v1/catalog/versions/1").json().at("/catalog/plans/0/code").asText()).isEqualTo("basic");
        assertThat(api.get("/v1/catalog/versions/7").code()).isEqualTo("not_found");
        assertThat(api.get("/v1/catalog/current?at=yesterday").code()).isEqualTo("validation_failed");
    }

    @Test
    void versionsAreImmutableAndOrdered() {
        api.postYaml("/v1/catalog/versions", V1);
        var again = api.postYaml("/v1/catalog/versions", V1.replace("\"30.00\"", "\"1.00\""));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("catalog_version_exists");
        var backdated = api.postYaml("/v1/catalog/versions", V2.replace("2026-06-01", "2025-06-01"));
        assertThat(backdated.code()).isEqualTo("validation_failed");
        assertThat(backdated.text("field")).isEqualTo("effective_from");
        var otherName = api.postYaml("/v1/catalog/versions", V2.replace("name: acme", "name: other"));
        assertThat(otherName.code()).isEqualTo("catalog_name_mismatch");
        assertThat(api.get("/v1/catalog/versions").json().get("data")).hasSize(1);
        assertThat(api.get("/v1/catalog/versions/1").json().at("/catalog/plans/0/charges/0/monthly_price/USD").asText()).isEqualTo("30.00");
    }

    @Test
    void anInvalidCatalogIsRefusedWithEveryProblemAndStoresNothing() {
        String broken = V1.replace("product: crm", "product: nope").replace("\"30.00\"", "\"-1\"");
        var response = api.postYaml("/v1/catalog/versions?file_name=acme.yaml", broken);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_catalog");
        assertThat(response.json().get("errors")).hasSize(2);
        assertThat(response.json().get("errors")).allSatisfy(e -> {
            assertThat(e.get("file").asText()).isEqualTo("acme.yaml");
            assertThat(e.get("line").asInt()).isPositive();
        });
        assertThat(response.json().get("errors")).extracting(e -> e.get("path").asText())
                .containsExactlyInAnyOrder("plans[0].product", "plans[0].charges[0].monthly_price.USD");
        assertThat(api.get("/v1/catalog/versions").json().get("data")).isEmpty();

        var validation = api.postYaml("/v1/catalog/validate", broken);
        assertThat(validation.json().get("valid").asBoolean()).isFalse();
        assertThat(validation.json().get("errors")).hasSize(2);
        assertThat(api.postYaml("/v1/catalog/validate", V1).json().get("valid").asBoolean()).isTrue();
        assertThat(api.get("/v1/catalog/versions").json().get("data")).isEmpty();
    }

    @Test
    void theBodyMustBeYaml() {
        var response = api.post("/v1/catalog/versions", java.util.Map.of("yaml", V1));
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.code()).isEqualTo("unsupported_media_type");
    }

    @Test
    void catalogsAreIsolatedPerTenantAndImportNeedsAnAdminKey() {
        api.postYaml("/v1/catalog/versions", V1);
        var other = TestNode.get().newTenant("catalog other");
        assertThat(other.api().get("/v1/catalog/versions").json().get("data")).isEmpty();
        assertThat(other.api().get("/v1/catalog/versions/1").code()).isEqualTo("not_found");
        assertThat(other.api().postYaml("/v1/catalog/versions", V1).status()).isEqualTo(201);
        assertThat(other.readOnlyApi().postYaml("/v1/catalog/versions", V2).code()).isEqualTo("forbidden");
    }

    @Test
    void importIsIdempotent() {
        Api keyed = api.withHeader("Idempotency-Key", "import-v1");
        var first = keyed.postYaml("/v1/catalog/versions", V1);
        var second = keyed.postYaml("/v1/catalog/versions", V1);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    }
}
